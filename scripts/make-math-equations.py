#!/usr/bin/env python3
"""Writes math-reasoning's recipe 4 (shipped): programs for what a 270M model can transcribe and
Python can compute, in adapters/math-reasoning/training/dataset.jsonl (`scripts/fine_tune.py
adapters/math-reasoning` trains it; it was trained as training-equations/ and moved there).

The arithmetic adapter showed that the model copies a question into a computation well and
computes badly; recipe 3 showed that it cannot yet read a word problem into the right quantities.
An equation in one unknown sits between the two: transcribing it is copying, and solving it is
computing. So each linear equation is answered by the same two lines, the equation moved to one
side and solved by Python:

    f = lambda x: (3*x + 5) - (20)
    print(-f(0) / (f(1) - f(0)))

which holds for every linear equation (f(x) = a*x + b, so x = -b / a). The rows:

  equations typed as people type them   LocoLLM's own seeded generator: implicit products ("8x",
                                        "4(1 + 8x)"), the unknown on both sides, fractions of it,
                                        Unicode minus signs, twenty request phrasings
  reasoning-gym simple_equations        "Find the value of o in the equation: 15*o - 16 = 44"
  reasoning-gym leg_counting            one line per kind of animal, then the sum
  reasoning-gym simple_geometry         the polygon's angle sum less the known angles

No GSM8K: the gate asks GSM8K's test problems and reasoning-gym's gsm_symbolic, its templates, so
a word problem of that kind trains nothing here (recipe 3's GSM8K programs did not help it read
them either). The gate's equations come from a source none of these is, DeepMind's
mathematics_dataset algebra__linear_1d ("Solve -2*n - 14 = -24 for n.",
scripts/make-cross-benchmarks.py), and the mixed benchmark's from OpenAI evals. Every program is
run here and kept only when it prints the row's own answer; no training question equals a
question any benchmark, bench/data/ file or example holds. reasoning-gym is installed on first use.

    python3 scripts/make-math-equations.py
"""
import argparse, importlib, os, random, re, sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import adapter_prompts  # noqa: E402
import datasets_env  # noqa: E402
from typed_equations import own_equation, solve_program, solved_rows  # noqa: E402

ADAPTER = "math-reasoning"
OWN = "LocoLLM's own equation generator (scripts/make-math-equations.py), seed 4000"
GYM = "reasoning-gym 0.1.25 (Apache-2.0)"
COUNTS = {"own": 700, "simple_equations": 200, "leg_counting": 200, "simple_geometry": 150}
GYM_KNOBS = {
    "simple_equations": (4002, dict(min_terms=2, max_terms=3, max_value=40, operators=("+", "-", "*"), operators_weights=[0.4, 0.4, 0.2])),
    "leg_counting": (4001, dict(min_animals=1, max_animals=3, min_instances=1, max_instances=8)),
    "simple_geometry": (4003, dict(min_sides=3, max_sides=6)),
}
def gym_program(name, item, legs):
    md = item["metadata"]
    if name == "simple_equations":
        left, right = (s.strip() for s in md["equation"].split("="))
        return solve_program(left, right, md["variable"])
    if name == "leg_counting":
        lines = [f"{re.sub(r'[^a-z]+', '_', animal.lower())} = {n} * {legs[animal]}" for animal, n in md["animals"].items()]
        names = [line.split(" = ")[0] for line in lines]
        return "\n".join(lines + [f"print({' + '.join(names)})"])
    known = [int(a) if float(a) == int(float(a)) else float(a) for a in md["known_angles"]]
    return f"print(({md['n_sides']} - 2) * 180 - ({' + '.join(map(str, known))}))"


def main():
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    held_out = adapter_prompts.evaluated_questions()
    rows = []

    def take(candidates, count):
        rows.extend(solved_rows(candidates, count, held_out, "make-math-equations"))

    rng = random.Random(4000)
    own = []
    while len(own) < COUNTS["own"] * 2:
        made = own_equation(rng)
        if made:
            query, program, x = made
            own.append({"id": f"equation-4000-{len(own)}", "query": query, "completion": " " + program, "answer": x, "source": OWN})
    take(own, COUNTS["own"])

    rg = datasets_env.reasoning_gym()
    legs = importlib.import_module("reasoning_gym.arithmetic.leg_counting").ANIMALS
    for name, (seed, knobs) in GYM_KNOBS.items():
        candidates = []
        for item in rg.create_dataset(name, seed=seed, size=COUNTS[name] * 3, **knobs):
            candidates.append({"id": f"{name}-{seed}-{item['metadata']['source_index']}", "query": item["question"],
                               "completion": " " + gym_program(name, item, legs), "answer": float(item["answer"]),
                               "source": f"{GYM} {name}, seed {seed}"})
        take(candidates, COUNTS[name])

    adapter_prompts.write_in_hashed_order(ADAPTER, rows)


if __name__ == "__main__":
    main()
