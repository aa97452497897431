#!/usr/bin/env python3
"""Does a thesis argue the side it was asked to? ROUGE-L on the thesis benchmark counts the key
points' words, not their side, so a thesis that hands back the motion when asked to argue against
it still scores (0.313 for the motion itself). This reads the answers of `loco run` passes over
adapters/writing-academic/eval/benchmark-thesis.jsonl (each of 31 motions asked for and against,
each side's key points in `expected`) and counts, per pass, what is plainly not a thesis of the
side asked:

  same for both   motions whose two theses are the same text (case and outer spaces ignored)
  motion back     theses that are the motion itself or nearly: ROUGE-L 0.7 or more against the
                  motion (read from the item's id) and as many negations ("not", "n't", "no",
                  "never", "cannot", "nor"), so "Homeschooling should not be banned." is not the
                  motion back. Asked against, that argues the other side; asked for, it states
                  the side without a reason

--check asks whether a thesis's side could be read from its words at all: each key point, held
out in turn, stands for a thesis and is compared with the rest of its own side's key points and
with the other side's (ROUGE-L through loco-score; with --embeddings URL also the cosine of
all-MiniLM-L6-v2 embeddings from `loco setup --embeddings`'s server). If a key point, a statement
that does argue its side, is not nearer its own side than a coin would put it, neither measure can
say which side a thesis argues, and these counts are what is left.

  bench/thesis-sides.py --check --embeddings http://127.0.0.1:8079
  bench/thesis-sides.py recipe2.jsonl recipe6.jsonl     # loco run outputs, one per pass
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCHMARK = os.path.join(ROOT, "adapters/writing-academic/eval/benchmark-thesis.jsonl")
SIDES = ("for", "against")
NEAR_MOTION = 0.7
NEGATION = re.compile(r"\b(not|no|never|cannot|nor)\b|n't\b", re.IGNORECASE)


def loco_score(records, metric):
    """loco-score's scores for these records, in order, and its summary."""
    tool = os.path.join(ROOT, ".build/release/loco-score")
    if not os.access(tool, os.X_OK):
        tool = "loco-score"
    summary = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"thesis-sides-{os.getpid()}.json")
    lines = "".join(json.dumps(r) + "\n" for r in records)
    out = subprocess.run([tool, "--metric", metric, "--summary", summary], input=lines,
                         capture_output=True, text=True, check=True).stdout
    with open(summary) as f:
        totals = json.load(f)
    os.remove(summary)
    return [json.loads(line)["score"]["value"] for line in out.splitlines()], totals


def share(flags):
    """The share of true flags with loco-score's interval for a share of right answers."""
    _, totals = loco_score([{"answer": "1" if f else "0", "expected": "1"} for f in flags], "numeric_match")
    return totals["accuracy"], totals["ci95"]


def motions(path):
    """{motion id: {side: item}} for the benchmark's items, each motion asked both ways."""
    pairs = {}
    with open(path) as f:
        for line in f:
            item = json.loads(line)
            motion, side = item["id"].rsplit("-", 1)
            if side not in SIDES:
                sys.exit(f"thesis-sides: {path}: id {item['id']!r} ends in neither -for nor -against")
            pairs.setdefault(motion, {})[side] = item
    return {m: p for m, p in pairs.items() if len(p) == 2}


def motion_text(motion):
    """The motion as words, from its id: argkp-homeschooling-should-be-banned."""
    return motion.removeprefix("argkp-").replace("-", " ")


def other(side):
    return SIDES[1 - SIDES.index(side)]


def embed(url, texts):
    """all-MiniLM-L6-v2 embeddings of the texts from the embedding server at url."""
    request = urllib.request.Request(url.rstrip("/") + "/v1/embeddings", data=json.dumps({"input": texts}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        data = json.load(response)["data"]
    return [item["embedding"] for item in sorted(data, key=lambda item: item["index"])]


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def held_out_key_points(pairs):
    """(point, the rest of its side, the other side) for every key point whose side has another."""
    for both in pairs.values():
        for side in SIDES:
            points = both[side]["expected"]
            for i, point in enumerate(points):
                rest = points[:i] + points[i + 1:]
                if rest:
                    yield point, rest, both[other(side)]["expected"]


def say_share(what, flags):
    value, ci = share(flags)
    print(f"key points held out, {len(flags)}: nearer their own side by {what} {value:.3f} "
          f"[{ci[0]:.3f}, {ci[1]:.3f}] (a coin: 0.5)")


def check(pairs, embeddings):
    held = list(held_out_key_points(pairs))
    records = [{"answer": point, "expected": key} for point, rest, against in held for key in (rest, against)]
    scores, _ = loco_score(records, "rouge_l")
    say_share("ROUGE-L", [own > theirs for own, theirs in zip(scores[0::2], scores[1::2])])
    if embeddings:
        texts = sorted({p for both in pairs.values() for side in SIDES for p in both[side]["expected"]})
        vector = dict(zip(texts, embed(embeddings, texts)))
        nearest = lambda point, group: max(cosine(vector[point], vector[g]) for g in group)
        say_share("embedding cosine", [nearest(point, rest) > nearest(point, against) for point, rest, against in held])


def report(path, pairs):
    answers = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            record = json.loads(line)
            if "id" not in record:
                sys.exit(f"thesis-sides: {path}:{n}: no id")
            motion, side = record["id"].rsplit("-", 1)
            if motion in pairs and side in SIDES:
                answers[(motion, side)] = str(record.get("answer") or "")
    rows = sorted(answers.items())
    both = [m for m in pairs if (m, "for") in answers and (m, "against") in answers]
    same = sum(answers[(m, "for")].strip().lower() == answers[(m, "against")].strip().lower() for m in both)
    near, _ = loco_score([{"answer": a, "expected": motion_text(m)} for (m, _), a in rows], "rouge_l")
    negations = lambda text: len(NEGATION.findall(text))
    handed_back = [v >= NEAR_MOTION and negations(a) == negations(motion_text(m)) for ((m, _), a), v in zip(rows, near)]
    back = {s: sum(h for ((_, side), _), h in zip(rows, handed_back) if side == s) for s in SIDES}
    asked = {s: sum(side == s for (_, side), _ in rows) for s in SIDES}
    print(f"{os.path.basename(path)}: {len(rows)} theses; same for both sides {same} of {len(both)} motions; "
          f"the motion back asked against {back['against']} of {asked['against']}, "
          f"asked for {back['for']} of {asked['for']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="*", help="loco run outputs over the thesis benchmark")
    parser.add_argument("--benchmark", default=BENCHMARK, help="the thesis benchmark (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="can a side be read from the words? (the key points)")
    parser.add_argument("--embeddings", metavar="URL", help="with --check: the embedding server too")
    args = parser.parse_args()
    if not args.runs and not args.check:
        parser.error("name a loco run output, or --check")
    pairs = motions(args.benchmark)
    if args.check:
        check(pairs, args.embeddings)
    for path in args.runs:
        report(path, pairs)


if __name__ == "__main__":
    main()
