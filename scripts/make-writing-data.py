#!/usr/bin/env python3
"""Writes writing-academic's second benchmark and its training set, from two sets of OpenAI's
`evals` 3.0.1.post1 (PyPI; MIT):

  abstract2title     254 article abstracts -> their title. The 50 of eval/benchmark.jsonl stay
                     held out (scripts/make-benchmarks.py); the other 204 are training.
  consensus_summary  362 sets of research claims with a question -> a one-sentence summary that
                     answers it from the claims. 100 chosen by a hash of their position are
                     eval/benchmark-summary.jsonl (ROUGE-L); the other 262 are training.

The "Summary: " that every consensus_summary answer starts with is dropped from `expected` and
from the completions: it is the set's formatting, not the summary. Queries are written as
scripts/make-benchmarks.py writes abstract2title's: the set's instruction, a blank line, the text.
Needs the built tools (the prompts come from loco-route and loco-prompt).

    python3 scripts/make-writing-data.py
"""
import hashlib, io, json, os, sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import adapter_prompts  # noqa: E402
from adapter_prompts import normalised  # noqa: E402
import datasets_env  # noqa: E402

ADAPTER = "writing-academic"
SUMMARY_ITEMS = 100
TITLES = "OpenAI evals 3.0.1.post1 abstract2title (MIT)"
SUMMARIES = "OpenAI evals 3.0.1.post1 consensus_summary (MIT)"


def samples(wheel, name):
    with wheel.open(f"evals/registry/data/{name}/samples.jsonl") as f:
        return [json.loads(line) for line in io.TextIOWrapper(f, "utf-8") if line.strip()]


def query(sample):
    return "\n\n".join(m["content"].strip() for m in sample["input"])


def summary(ideal):
    text = ideal if isinstance(ideal, str) else ideal[0]
    return text.strip().removeprefix("Summary:").strip()


def main():
    evals = datasets_env.wheel("evals==3.0.1.post1")
    titles, claims = samples(evals, "abstract2title"), samples(evals, "consensus_summary")

    ranked = sorted(range(len(claims)), key=lambda i: hashlib.sha256(f"bench:consensus_summary:{i}".encode()).hexdigest())
    held = set(ranked[:SUMMARY_ITEMS])
    benchmark = [{"id": f"consensus-summary-{i}", "query": query(claims[i]), "expected": summary(claims[i]["ideal"]), "source": SUMMARIES}
                 for i in sorted(held, key=ranked.index)]
    path = os.path.join(ROOT, "adapters", ADAPTER, "eval", "benchmark-summary.jsonl")
    with open(path, "w") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in benchmark)
    print(f"eval/benchmark-summary.jsonl: {len(benchmark)} items, sha256 {hashlib.sha256(open(path, 'rb').read()).hexdigest()}")

    # Held out by id and by text: abstract2title repeats some abstracts under other numbers.
    evaluated = set()
    for name in ("benchmark.jsonl", "benchmark-summary.jsonl"):
        with open(os.path.join(ROOT, "adapters", ADAPTER, "eval", name)) as f:
            for line in filter(str.strip, f):
                item = json.loads(line)
                evaluated |= {item["id"], normalised(item["query"])}
    rows = [{"id": f"abstract2title-{i}", "query": query(s), "completion": " " + s["ideal"].strip(), "source": TITLES}
            for i, s in enumerate(titles)]
    rows += [{"id": f"consensus-summary-{i}", "query": query(s), "completion": " " + summary(s["ideal"]), "source": SUMMARIES}
             for i, s in enumerate(claims)]
    rows = [r for r in rows if r["id"] not in evaluated and normalised(r["query"]) not in evaluated]
    unique = {}
    for r in rows:
        unique.setdefault(normalised(r["query"]), r)
    rows = list(unique.values())
    rows.sort(key=lambda r: hashlib.sha256(f"order:{r['id']}".encode()).hexdigest())

    adapter_prompts.write_training_set(ADAPTER, rows, ensure_ascii=False)
    print(f"training/dataset.jsonl: {sum(r['source'] == TITLES for r in rows)} titles, {sum(r['source'] == SUMMARIES for r in rows)} summaries")


if __name__ == "__main__":
    main()
