#!/usr/bin/env python3
"""Writes math-reasoning's program-writing training set (recipe 3) from GSM8K's train split.

Source: GitHub openai/grade-school-math, commit 3101c7d5072418e28b9008a6636bde82a006892c,
grade_school_math/data/train.jsonl (7,473 problems; MIT licence, Copyright (c) 2021 OpenAI). The
file is read from a local snapshot of that repository (`--gsm8k-train PATH`); only what is derived
from it is committed: adapters/math-reasoning/training-programs/dataset.jsonl.

Each worked solution carries its calculations inline (`48/2 = <<48/2=24>>24 clips`): each
becomes one assignment under the sentence it came from, as a comment in which the result is named
by its variable, and a number that an earlier step computed is replaced by that step's variable,
so the program reads the problem the way the solution does:

    # Natalia sold 48/2 = v1 clips in May.
    v1 = 48/2
    # Natalia sold 48+24 = v2 clips altogether in April and May.
    v2 = 48+v1
    print(v2)

A program is kept only when Python prints the solution's own final answer. The shortest problems
come first (a 270M model learns the format on them); GSM8K's test split, from which every gate
item comes, is never read here.

    python3 scripts/make-math-programs.py --gsm8k-train /path/to/grade_school_math/data/train.jsonl
"""
import argparse, json, os, re, sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import adapter_prompts  # noqa: E402

SOURCE = "GSM8K train (Cobbe et al. 2021; MIT), github.com/openai/grade-school-math @ 3101c7d"
SYSTEM_PROMPT = ("Answer with a short Python program that works the problem out step by step, "
                 "one line per calculation, and prints the final number.")
ITEMS = 800
CALCULATION = re.compile(r"<<([^=>]*)=([^>]*)>>")
# A calculation and its result as the solution shows it: "<<48/2=24>>24".
SHOWN = re.compile(r"<<[^=>]*=[^>]*>>\s?(?:\d[\d,]*(?:\.\d+)?|\.\d+)?")


def close(a, b):
    return abs(a - b) <= 1e-6 * max(1, abs(b))


def program(solution):
    """The solution's calculations as a program, or None when it cannot be made faithfully."""
    steps, _, final = solution.partition("####")
    lines, results = [], []
    for sentence in steps.strip().split("\n"):
        calculations = CALCULATION.findall(sentence)
        # The sentence names each result by the variable that will hold it ("48/2 = v1 clips"),
        # so the comment says what a step means without a number the model would have to compute.
        count = iter(range(len(results) + 1, len(results) + len(calculations) + 1))
        said = SHOWN.sub(lambda _: f"v{next(count)}", sentence).strip()
        if said:
            lines.append("# " + said)
        for expression, result in calculations:
            expression = expression.strip()
            try:
                value = eval(expression, {"__builtins__": {}})  # GSM8K's own annotations, checked below
                stated = float(result.replace(",", ""))
            except Exception:
                return None
            if not close(value, stated):
                return None
            # A number an earlier step computed becomes that step's variable (the latest such step).
            def name(match):
                text = match.group(0)
                for index in range(len(results) - 1, -1, -1):
                    if close(results[index], float(text)):
                        return f"v{index + 1}"
                return text
            expression = re.sub(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", name, expression)
            if not re.search(r"[-+*/]", expression.lstrip("-")):
                return None  # a result worked out in words (algebra) and only stated: nothing to learn
            results.append(value)
            lines.append(f"v{len(results)} = {expression}")
    if not results:
        return None
    lines.append(f"print(v{len(results)})")
    code = "\n".join(lines)
    printed = {}
    exec(code.replace(f"print(v{len(results)})", f"_out(v{len(results)})"),
         {"__builtins__": {}, "_out": lambda v: printed.setdefault("v", v)})
    try:
        answer = float(final.strip().replace(",", ""))
    except ValueError:
        return None
    return code if "v" in printed and close(float(printed["v"]), answer) else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gsm8k-train", required=True, help="grade_school_math/data/train.jsonl from the repository")
    parser.add_argument("--out", default=os.path.join(ROOT, "adapters", "math-reasoning", "training-programs"))
    args = parser.parse_args()
    with open(args.gsm8k_train) as f:
        problems = [json.loads(line) for line in f if line.strip()]
    rows, skipped = [], 0
    for index, problem in enumerate(problems):
        code = program(problem["answer"])
        if code is None:
            skipped += 1
            continue
        rows.append({"id": f"gsm8k-train-{index}", "query": problem["question"].strip(), "completion": "\n" + code, "source": SOURCE})
    held_out = adapter_prompts.evaluated_questions()
    rows = [r for r in rows if adapter_prompts.normalised(r["query"]) not in held_out]
    rows.sort(key=lambda r: (len(r["query"]) + len(r["completion"]), r["id"]))
    rows = rows[:ITEMS]
    prompts = adapter_prompts.prompts("math-reasoning", rows, system_prompt=SYSTEM_PROMPT)
    os.makedirs(os.path.join(args.out, "training"), exist_ok=True)
    with open(os.path.join(args.out, "training", "dataset.jsonl"), "w") as out:
        for r, prompt in zip(rows, prompts):
            out.write(json.dumps({"id": r["id"], "prompt": prompt, "completion": r["completion"], "source": r["source"]}) + "\n")
    print(f"{len(rows)} programs from {len(problems)} problems ({skipped} could not be turned into a faithful program)")


if __name__ == "__main__":
    main()
