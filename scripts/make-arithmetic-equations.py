#!/usr/bin/env python3
"""Writes the arithmetic adapter's recipe 3 candidates, tried and not shipped (docs/adapters.md):
recipe 2's programs and equations in one unknown, in
adapters/arithmetic/training-equations/training/dataset.jsonl, beside recipe 2's settings;
`python3 scripts/fine_tune.py adapters/arithmetic/training-equations` trains it.

Why: on the mixed benchmark the router sends most typed equations ("solve 8x + 4x = 12 for x") to
arithmetic, and router data that teaches an equation from a sum costs arithmetic's own sources
more than it gains (docs/routing.md). An equation is a sum with an unknown; arithmetic answers sums
with one line of Python, and could answer an equation with the lines math-reasoning's recipe 4
writes (the equation moved to one side, solved by Python). Recipe 3b, the default, names the root
before printing it:

    f = lambda x: (8*x + 4*x) - (12)
    x = -f(0) / (f(1) - f(0))
    print(x)

and `--form print` writes recipe 3a, math-reasoning's two lines (`print(-f(0) / (f(1) - f(0)))`),
which taught the adapter to divide sums by themselves.

The rows: recipe 2's, generated again by scripts/make-arithmetic-data.py's own code and seeds
(its gate file read, not rebuilt: bigbench's sdist is no longer served), and
  equations typed as people type them   scripts/typed_equations.py, seed 4100 (math-reasoning's
                                        recipe 4 drew seed 4000)
  reasoning-gym simple_equations        seed 4102 (math-reasoning's: 4002)
each under arithmetic's own system prompt. Every program is run and kept only when it prints the
row's answer; no question equals one that any benchmark, bench/data/ file or example holds, or one
that math-reasoning's training set holds.

    python3 scripts/make-arithmetic-equations.py [--form named|print]
"""
import argparse, importlib.util, json, os, random, sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import adapter_prompts, datasets_env  # noqa: E402
from adapter_prompts import normalised  # noqa: E402
from typed_equations import own_equation, solve_program, solved_rows  # noqa: E402

ADAPTER = "arithmetic"
OWN = "LocoLLM's own equation generator (scripts/typed_equations.py), seed 4100"
GYM = "reasoning-gym 0.1.25 (Apache-2.0) simple_equations, seed 4102"
COUNTS = {"own": 300, "simple_equations": 100}
GYM_KNOBS = dict(min_terms=2, max_terms=3, max_value=40, operators=("+", "-", "*"), operators_weights=[0.4, 0.4, 0.2])


def recipe2_rows():
    """Recipe 2's rows as make-arithmetic-data.py writes them, its gate's questions left out."""
    spec = importlib.util.spec_from_file_location("make_arithmetic_data", os.path.join(ROOT, "scripts", "make-arithmetic-data.py"))
    recipe2 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe2)
    rows = recipe2.training_rows()
    with open(os.path.join(ROOT, "adapters", ADAPTER, "eval", "benchmark-cross.jsonl")) as f:
        gate = {normalised(json.loads(line)["query"]) for line in f if line.strip()}
    held_out = adapter_prompts.evaluated_questions() | gate
    return [r for r in rows if normalised(r["query"]) not in held_out]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--form", choices=["named", "print"], default="named",
                        help="named: the root given its letter, then printed (recipe 3b); print: printed at once (recipe 3a)")
    named = parser.parse_args().form == "named"
    rows = recipe2_rows()
    with open(os.path.join(ROOT, "adapters", ADAPTER, "training", "dataset.jsonl")) as f:
        recipe2 = [(row["id"], row["completion"]) for row in map(json.loads, f)]
    if recipe2 != [(r["id"], r["completion"]) for r in rows]:
        sys.exit("make-arithmetic-equations: recipe 2's rows came out otherwise than training/dataset.jsonl holds them")
    output = os.path.join(ROOT, "adapters", ADAPTER, "training-equations", "training", "dataset.jsonl")
    held_out = (adapter_prompts.evaluated_questions() | adapter_prompts.routing_questions()
                | adapter_prompts.trained_questions(skip=output if os.path.exists(output) else None))
    equations = []

    def take(candidates, count):
        equations.extend(solved_rows(candidates, count, held_out, "make-arithmetic-equations"))

    rng, own = random.Random(4100), []
    while len(own) < COUNTS["own"] * 2:
        made = own_equation(rng, named)
        if made:
            query, program, x = made
            own.append({"id": f"equation-4100-{len(own)}", "query": query, "completion": " " + program, "answer": x, "source": OWN})
    take(own, COUNTS["own"])
    rg, candidates = datasets_env.reasoning_gym(), []
    for item in rg.create_dataset("simple_equations", seed=4102, size=COUNTS["simple_equations"] * 3, **GYM_KNOBS):
        left, right = (s.strip() for s in item["metadata"]["equation"].split("="))
        candidates.append({"id": f"simple_equations-4102-{item['metadata']['source_index']}", "query": item["question"],
                           "completion": " " + solve_program(left, right, item["metadata"]["variable"], named),
                           "answer": float(item["answer"]), "source": GYM})
    take(candidates, COUNTS["simple_equations"])

    rows += equations
    adapter_prompts.write_in_hashed_order(ADAPTER, rows, folder="training-equations/training")


if __name__ == "__main__":
    main()
