#!/usr/bin/env python3
"""Writes the arithmetic adapter's training set and its cross-source gate (recipe 2: programs).

The adapter answers with a one-line Python program (`print(221 + 173)`) that the pipeline runs in
the sandbox; the number it prints is the answer. The model only has to transcribe the question
into an expression, which a 270M model does well; the interpreter does the digits.

Training, adapters/arithmetic/training/dataset.jsonl (sources disjoint from the gate's):
  LocoLLM's user-style sums       this script's own seeded generator: one to six digits,
                                  negatives, decimals, percentages, "x"/"times"/"divided by"/"÷",
                                  "what's", "quick:", "compute", bare expressions, several
                                  operations, numbers in words
  reasoning-gym basic_arithmetic  reasoning-gym 0.1.25 (Apache-2.0), seeded: "Compute -90*651.",
                                  "Solve (-3361-3194+6785 *-4720).", "What is 3 * 8 - 2?"

Gate, adapters/arithmetic/eval/benchmark-cross.jsonl, 120 items from two public sources that no
training item comes from, as people phrase sums (none of them in the router's data either):
  BIG-bench arithmetic            bigbench 1.0.0 sdist (Apache-2.0): "What is 966 minus 140?",
                                  one to five digits, the four operations
  DeepMind mathematics_dataset    mathematics_dataset 1.0.1 (Apache-2.0), arithmetic family:
                                  "Divide 28821 by -2217.", "299.9 times -0.057622", "Sum -2 and 5"

    python3 scripts/make-arithmetic-data.py    # needs the built tools (swift build -c release)
"""
import hashlib, json, os, random, sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import adapter_prompts, datasets_env  # noqa: E402

ADAPTER = "arithmetic"
OWN = "LocoLLM user-style sums (scripts/make-arithmetic-data.py, seed 28)"
GYM = "reasoning-gym 0.1.25 basic_arithmetic (Apache-2.0)"
BIGBENCH = "BIG-bench arithmetic (bigbench 1.0.0, Apache-2.0)"
DEEPMIND = "DeepMind mathematics_dataset 1.0.1 arithmetic (Apache-2.0)"
TRAINING_SOURCES = [OWN, GYM]
GATE_SOURCES = [BIGBENCH, DEEPMIND]
OWN_ITEMS, GYM_ITEMS, GATE_PER_SOURCE = 1200, 300, 60

ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def in_words(n):
    """0 <= n < 1,000,000 in English words: 'three hundred and twelve'."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + in_words(rest))
    rest = n % 1000
    return in_words(n // 1000) + " thousand" + ("" if rest == 0 else (" and " if rest < 100 else " ") + in_words(rest))


class Sums:
    """User-style arithmetic questions, each with the program that answers it."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def number(self, digits=None, negative=0.0, decimal=0.0):
        r = self.rng
        digits = digits or r.choice([1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6])
        n = r.randint(10 ** (digits - 1) if digits > 1 else 0, 10 ** digits - 1)
        text = str(n)
        if r.random() < decimal:
            text = f"{n}.{r.randint(1, 99) if r.random() < 0.5 else r.randint(1, 9)}"
        if r.random() < negative:
            text = "-" + text
        return text

    def spaced(self, a, op, b):
        return self.rng.choice([f"{a} {op} {b}", f"{a}{op}{b}", f"{a} {op}{b}", f"{a} {op} {b}"])

    def binary(self):
        r = self.rng
        kind = r.choice(["+", "+", "-", "-", "*", "*", "/", "/"])
        a, b = self.number(negative=0.12, decimal=0.12), self.number(negative=0.08, decimal=0.08)
        if kind == "/":
            divisor = r.randint(2, 99) if r.random() < 0.8 else r.randint(100, 999)
            quotient = r.randint(1, 9999)
            a, b = str(divisor * quotient), str(divisor)
            if r.random() < 0.15:
                a = str(r.randint(1, 9999))
        if kind == "*" and len(a.lstrip("-")) + len(b.lstrip("-")) > 9:
            b = self.number(digits=r.randint(1, 3))
        symbols = {"+": ["+", "plus", "and"], "-": ["-", "minus", "take away", "−"],
                   "*": ["*", "x", "times", "×", "multiplied by", "X"], "/": ["/", "divided by", "÷", "over"]}
        word = r.choice(symbols[kind])
        expression = f"{a} {kind} {b}"
        if word == "and":
            query = r.choice([f"what's the sum of {a} and {b}", f"add {a} and {b}", f"sum of {a} and {b}?",
                              f"What is {a} added to {b}?", f"total of {a} and {b}"])
        elif word == "take away":
            query = r.choice([f"{a} take away {b}", f"subtract {b} from {a}", f"what is {b} subtracted from {a}?",
                              f"difference between {a} and {b}"])
        elif word == "over":
            query = r.choice([f"{a} over {b}", f"divide {a} by {b}", f"what do you get if you divide {a} by {b}?"])
        elif word == "multiplied by" and r.random() < 0.4:
            query = r.choice([f"product of {a} and {b}", f"multiply {a} by {b}", f"what is {a} multiplied by {b}"])
        else:
            core = self.spaced(a, word, b) if len(word) == 1 else f"{a} {word} {b}"
            query = self.frame(core)
        return query, expression

    def frame(self, core):
        r = self.rng
        frames = ["what's {}?", "What is {}?", "quick: {}", "compute {}", "{}", "{} =", "{} = ?", "how much is {}",
                  "Calculate {}.", "what is {}", "whats {}", "{}?", "can you work out {}?", "Evaluate {}",
                  "help me with {} pls", "what does {} equal?", "solve {}", "{} equals?", "I need {}"]
        return r.choice(frames).format(core)

    def percent(self):
        r = self.rng
        p = r.choice([5, 10, 12, 15, 20, 25, 30, 33, 40, 45, 50, 60, 75, 80, 90, 110, 150, 2.5, 7.5, 12.5])
        n = self.number(digits=r.randint(1, 5), decimal=0.1)
        query = r.choice([f"what is {p}% of {n}?", f"{p}% of {n}", f"what's {p} percent of {n}", f"calculate {p}% of {n}",
                          f"how much is {p} percent of {n}?", f"find {p}% of {n}"])
        return query, f"{p} / 100 * {n}"

    def several(self):
        r = self.rng
        count = r.randint(3, 5)
        numbers = [self.number(digits=r.randint(1, 4), negative=0.1) for _ in range(count)]
        ops = [r.choice(["+", "-", "*", "+", "-"]) for _ in range(count - 1)]
        expression = numbers[0]
        for op, n in zip(ops, numbers[1:]):
            expression += f" {op} {n}"
        if r.random() < 0.3 and count >= 3:
            parts = expression.split(" ")
            expression = "(" + " ".join(parts[:3]) + ") " + " ".join(parts[3:])
        shown = expression.replace("*", r.choice(["*", "x", "×"])) if r.random() < 0.4 else expression
        if r.random() < 0.3:
            shown = shown.replace(" ", "")
        return self.frame(shown), expression

    def words(self):
        r = self.rng
        a, b = r.randint(0, 999 if r.random() < 0.7 else 99999), r.randint(1, 999)
        kind, word = r.choice([("+", "plus"), ("-", "minus"), ("*", "times"), ("*", "multiplied by"), ("/", "divided by")])
        if kind == "/":
            a = b * r.randint(1, 99)
        wa, wb = in_words(a), in_words(b)
        if r.random() < 0.5:
            wa = str(a)
        query = r.choice([f"what is {wa} {word} {wb}?", f"{wa} {word} {wb}", f"What's {wa} {word} {wb}",
                          f"how much is {wa} {word} {wb}"])
        return query, f"{a} {kind} {b}"

    def power(self):
        r = self.rng
        a = r.randint(2, 99)
        e = r.choice([2, 2, 3])
        query = {2: r.choice([f"{a} squared", f"what is {a} squared?", f"{a}^2", f"square of {a}"]),
                 3: r.choice([f"{a} cubed", f"what's {a} cubed", f"{a}^3", f"{a} to the power of 3"])}[e]
        return query, f"{a} ** {e}"

    def one(self):
        kind = self.rng.choices(["binary", "percent", "several", "words", "power"], weights=[55, 12, 18, 10, 5])[0]
        return getattr(self, kind)()


def program(expression):
    return f" print({expression})"


def check(expression):
    value = eval(expression, {"__builtins__": {}})  # the generator's own arithmetic, never a model's
    assert isinstance(value, (int, float)), expression
    return value


def gym_items(count):
    rg = datasets_env.reasoning_gym()
    rows = []
    for i, item in enumerate(rg.create_dataset("basic_arithmetic", seed=28, size=count)):
        expression = item["metadata"]["expression"]
        value = check(expression)
        # Its division is floor division where a quotient is not whole: such items teach a program
        # that prints another number than the item's answer, so they are left out.
        if abs(float(value) - float(item["answer"])) > 1e-6 * max(1, abs(float(value))):
            continue
        rows.append({"id": f"gym-basic-arithmetic-{i}", "query": item["question"].strip(), "completion": program(expression), "source": GYM})
    return rows


def bigbench_items(count):
    archive = datasets_env.sdist("bigbench==1.0.0")
    items = []
    for member in archive:
        name = member.name.partition("/benchmark_tasks/")[2]
        if not (name.startswith("arithmetic/") and name.endswith("/task.json")) or name == "arithmetic/task.json":
            continue
        task = name.split("/")[1]
        for i, example in enumerate(json.load(archive.extractfile(member))["examples"]):
            targets = example["target_scores"] if "target_scores" in example else None
            target = [t for t, s in targets.items() if s == 1][0] if targets else example["target"]
            items.append({"id": f"bigbench-{task}-{i}", "query": example["input"].strip(), "expected": str(target).strip(), "source": BIGBENCH})
    return pick(items, "bigbench", count)


def deepmind_items(count):
    names = ["add_or_sub", "add_sub_multiple", "mul", "div", "mul_div_multiple", "add_or_sub_in_base"]
    names = names[:5]
    items = [{"id": f"dm-{name}-{i}", "query": question, "expected": answer, "source": DEEPMIND}
             for i, (name, question, answer) in enumerate(datasets_env.mathematics_dataset("arithmetic", names, 40, 28, answers=True))]
    # A fraction ("-2/7") is an answer no printed decimal can match exactly: those items ask for
    # something else (an exact fraction) than a sum typed by a person.
    items = [item for item in items if "/" not in item["expected"]]
    return pick(items, "deepmind", count)


def pick(items, source, count):
    routed = adapter_prompts.routing_questions()
    items = [item for item in items if adapter_prompts.normalised(item["query"]) not in routed]
    return sorted(items, key=lambda item: hashlib.sha256(f"gate:{source}:{item['id']}".encode()).hexdigest())[:count]


def training_rows():
    """Every row the recipe trains on, before the evaluated questions are left out: its own sums
    (seed 28), then reasoning-gym's."""
    sums = Sums(28)
    rows, seen = [], set()
    while len(rows) < OWN_ITEMS:
        query, expression = sums.one()
        if query in seen:
            continue
        seen.add(query)
        check(expression)
        rows.append({"id": f"own-{len(rows)}", "query": query, "completion": program(expression), "source": OWN})
    return rows + gym_items(GYM_ITEMS)


def main():
    rows = training_rows()
    gate = bigbench_items(GATE_PER_SOURCE) + deepmind_items(GATE_PER_SOURCE)
    held_out = adapter_prompts.evaluated_questions() | {adapter_prompts.normalised(g["query"]) for g in gate}
    before = len(rows)
    rows = [r for r in rows if adapter_prompts.normalised(r["query"]) not in held_out]
    assert {r["source"] for r in rows} <= set(TRAINING_SOURCES) and not set(TRAINING_SOURCES) & set(GATE_SOURCES)

    adapter_prompts.write_training_set(ADAPTER, rows, ensure_ascii=False)
    path = os.path.join(ROOT, "adapters", ADAPTER, "eval", "benchmark-cross.jsonl")
    with open(path, "w") as out:
        for item in gate:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    print(f"training/dataset.jsonl: {len(rows)} programs ({before - len(rows)} left out as evaluated); "
          f"eval/benchmark-cross.jsonl: {len(gate)} items, sha256 {digest}")


if __name__ == "__main__":
    main()
