"""The exact prompt an adapter sees at run time, for training data: each query routed to the
adapter and prompted by the built tools themselves (loco-route --adapter NAME | loco-prompt), so
training and inference never drift apart."""
import glob, hashlib, json, os, re, subprocess, sys, tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def tool(name):
    for candidate in (os.path.join(ROOT, ".build", "release", name), os.path.join(ROOT, ".build", "debug", name)):
        if os.access(candidate, os.X_OK):
            return candidate
    sys.exit(f"{os.path.basename(sys.argv[0])}: {name} is not built; run 'swift build -c release' first")


def prompts(adapter, rows, system_prompt=None):
    """rows: dicts with `id` and `query`; returns their prompts in order. `system_prompt`, for a
    recipe being tried, stands in for the registry's (in a copy of the registry, for these tools)."""
    registry = os.path.join(ROOT, "adapters", "registry.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        if system_prompt is not None:
            text = open(registry).read()
            start = text.index(f"\n  {adapter}:\n")
            section = text[start:]
            section = re.sub(r"\n    system_prompt: >-\n(?:      .*\n)+", "\n    system_prompt: " + json.dumps(system_prompt) + "\n", section, count=1)
            registry = os.path.join(tmp, "registry.yaml")
            with open(registry, "w") as f:
                f.write(text[:start] + section)
        env = dict(os.environ, LOCO_NO_LOG="1", LOCO_REGISTRY=registry)
        lines = "".join(json.dumps({"id": r["id"], "query": r["query"]}) + "\n" for r in rows)
        routed = subprocess.run([tool("loco-route"), "--adapter", adapter], input=lines, capture_output=True, text=True, env=env, check=True).stdout
        prompted = subprocess.run([tool("loco-prompt")], input=routed, capture_output=True, text=True, env=env, check=True).stdout
    result = [json.loads(line)["prompt"] for line in prompted.splitlines()]
    assert len(result) == len(rows)
    if system_prompt is not None:
        assert all(p.startswith(system_prompt) for p in result), result[0]
    return result


def normalised(text):
    """A question as the held-out checks compare it: case and runs of spaces do not matter."""
    return " ".join(text.lower().split())


def evaluated_questions(key=normalised, benchmarks="benchmark*.jsonl"):
    """Every question an evaluation here reads (the adapters' benchmarks, bench/data/, the
    examples), as `key` gives it: what no training set may hold."""
    paths = glob.glob(os.path.join(ROOT, "adapters", "*", "eval", benchmarks))
    paths += glob.glob(os.path.join(ROOT, "bench", "data", "*.jsonl")) + glob.glob(os.path.join(ROOT, "examples", "*.jsonl"))
    seen = set()
    for path in paths:
        with open(path) as f:
            seen.update(key(json.loads(line)["query"]) for line in f if line.strip())
    return seen


def write_training_set(adapter, rows, ensure_ascii=True, folder="training", name="dataset.jsonl", system_prompt=None):
    """adapters/ADAPTER/FOLDER/NAME: per row (`id`, `query`, `completion`, `source`) its
    id, the prompt the adapter sees at run time (under `system_prompt` for a recipe that no longer
    ships, as `prompts` takes it), the completion and the source."""
    folder = os.path.join(ROOT, "adapters", adapter, folder)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w") as f:
        for r, prompt in zip(rows, prompts(adapter, rows, system_prompt)):
            f.write(json.dumps({"id": r["id"], "prompt": prompt, "completion": r["completion"], "source": r["source"]},
                               ensure_ascii=ensure_ascii) + "\n")


def write_in_hashed_order(adapter, rows, folder="training"):
    """write_training_set (non-ASCII kept) with the rows in an order their ids fix, so that no
    source's rows come in a block; says how many rows of each source it wrote."""
    rows = sorted(rows, key=lambda r: hashlib.sha256(f"order:{r['id']}".encode()).hexdigest())
    write_training_set(adapter, rows, ensure_ascii=False, folder=folder)
    counts = {}
    for r in rows:
        counts[r["source"]] = counts.get(r["source"], 0) + 1
    print(f"{folder}/dataset.jsonl: {len(rows)} rows: " + "; ".join(f"{n} {s}" for s, n in counts.items()))


def routing_questions(key=normalised):
    """Every question in the router's data (adapters/router/*.jsonl): a benchmark holds none of
    them, so the routing figures and the gates never share an item."""
    seen = set()
    for path in glob.glob(os.path.join(ROOT, "adapters", "router", "*.jsonl")):
        with open(path) as f:
            seen.update(key(json.loads(line)["query"]) for line in f if line.strip())
    return seen


def trained_questions(key=normalised, skip=None):
    """Every question an adapter's training set holds, read back from its prompt (after RE2's
    "Read the question again: "); but the one at `skip`, the file a script is about to write again."""
    seen = set()
    for path in glob.glob(os.path.join(ROOT, "adapters", "*", "**", "dataset.jsonl"), recursive=True):
        if skip and os.path.samefile(path, skip):
            continue
        with open(path) as f:
            for line in f:
                prompt = json.loads(line)["prompt"] if line.strip() else ""
                marker = prompt.rfind("Read the question again: ")
                if marker >= 0:
                    seen.add(key(prompt[marker + len("Read the question again: "):].removesuffix("\nA:")))
    return seen
