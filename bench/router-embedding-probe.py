#!/usr/bin/env python3
"""A probe for issue "Routing that holds on queries unlike its training data": does meaning carry
across sources where the word classifier does not? Embeds every labelled router query with the
packaged base model's own mean-pooled embeddings (llama-server --embeddings --pooling mean), then
runs the same leave-one-source-out folds as `loco-route eval --leave-one-source-out` with a
class-weighted logistic-regression head, and prints macro-F1 and the share sent to a wrong adapter
beside the word classifier's. Slow (about 4 queries/s on 2 cores: ~16 minutes for the 3,841
queries; embeddings are cached), so it is a measurement, not a router: by default it takes at most 40 queries of each source
(the first by a hash of their id), and writes that sample as JSON Lines, so that
`loco-route eval --leave-one-source-out SAMPLE` gives the word classifier's figure on the same
queries.

Usage: bench/router-embedding-probe.py [PER_SOURCE] [SAMPLE_OUT]
       (needs `loco setup` first: llama-server and the model)
       LOCO_PROBE_MODEL=PATH.gguf embeds with another model instead, e.g. all-MiniLM-L6-v2
       converted by llama.cpp's convert_hf_to_gguf.py (22M parameters: all 3,742 queries in minutes)
"""
import glob, hashlib, json, os, subprocess, sys, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "locollm")
MODEL = os.environ.get("LOCO_PROBE_MODEL") or os.path.join(CACHE, "models", "gemma-3-270m-q4_k_m.gguf")
PORT = 8097
try:
    import numpy as np
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "numpy"], check=True)
    import numpy as np

ADAPTERS = ["arithmetic", "code-python", "math-reasoning", "sentiment", "writing-academic"]
LABELS = ADAPTERS + ["base"]


def load(per_source):
    rows = []
    for name in ("train.jsonl", "test.jsonl"):
        with open(os.path.join(ROOT, "adapters", "router", name)) as f:
            rows += [json.loads(line) for line in f if line.strip()]
    rows.sort(key=lambda r: hashlib.sha256(str(r.get("id", r["query"])).encode()).hexdigest())
    taken, kept = {}, []
    for r in rows:
        if taken.get(r["source"], 0) < per_source:
            taken[r["source"]] = taken.get(r["source"], 0) + 1
            kept.append(r)
    return kept


def embed(texts):
    other = "" if "LOCO_PROBE_MODEL" not in os.environ else os.path.basename(MODEL)  # the base model's cache keeps its name
    digest = hashlib.sha256(("\n".join(texts) + other).encode()).hexdigest()[:16]
    cached = os.path.join(CACHE, f"probe-embeddings-{digest}.npy")
    if os.path.exists(cached):
        return np.load(cached)
    # scripts/setup-engine.sh's portable build (a -march=native one can die of SIGILL in a VM).
    found = glob.glob(os.path.join(CACHE, "llama.cpp-*", "build", "bin", "llama-server"))
    server = sorted(found, key=lambda path: ("portable" in path, path))[-1]
    process = subprocess.Popen([server, "-m", MODEL, "--host", "127.0.0.1", "--port", str(PORT), "--embeddings",
                                "--pooling", "mean", "-c", "4096", "-b", "4096", "-ub", "4096", "-t", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health", timeout=1)
                break
            except Exception:
                time.sleep(0.5)
        vectors, started = [], time.time()
        for start in range(0, len(texts), 16):
            batch = [t[:500] for t in texts[start:start + 16]]  # all-MiniLM-L6-v2 reads 256 tokens (its max_seq_length)
            body = json.dumps({"input": batch}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{PORT}/v1/embeddings", body, {"Content-Type": "application/json"})
            data = json.load(urllib.request.urlopen(request, timeout=600))["data"]
            vectors += [d["embedding"] for d in sorted(data, key=lambda d: d["index"])]
            done = start + len(batch)
            print(f"\rembedded {done}/{len(texts)} ({done / (time.time() - started):.1f}/s)", end="", file=sys.stderr)
        print(file=sys.stderr)
    finally:
        process.terminate()
    matrix = np.array(vectors, dtype=np.float32)
    np.save(cached, matrix)
    return matrix


def train(x, y, steps=300, rate=0.5, l2=1e-3):
    classes = len(LABELS)
    counts = np.bincount(y, minlength=classes)
    weight = np.where(counts > 0, len(y) / (classes * np.maximum(counts, 1)), 0)[y]
    w, b = np.zeros((x.shape[1], classes)), np.zeros(classes)
    onehot = np.eye(classes)[y]
    for _ in range(steps):
        z = x @ w + b
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        g = (p - onehot) * weight[:, None] / len(y)
        w -= rate * (x.T @ g + l2 * w)
        b -= rate * g.sum(0)
    return w, b


def macro_f1(expected, routed):
    f1s = []
    for label in range(len(LABELS)):
        tp = np.sum((expected == label) & (routed == label))
        fp = np.sum((expected != label) & (routed == label))
        fn = np.sum((expected == label) & (routed != label))
        if tp + fn == 0:
            continue
        p = tp / (tp + fp) if tp + fp else 0
        r = tp / (tp + fn)
        f1s.append(2 * p * r / (p + r) if p + r else 0)
    return float(np.mean(f1s))


def main():
    rows = load(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
    sample = sys.argv[2] if len(sys.argv) > 2 else os.path.join(CACHE, "probe-sample.jsonl")
    with open(sample, "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in rows)
    print(f"sample: {sample}", file=sys.stderr)
    texts = [r["query"] for r in rows]
    y = np.array([LABELS.index(r["adapter"] or "base") for r in rows])
    sources = np.array([r["source"] for r in rows])
    x = embed(texts)
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)
    predicted, lead = np.zeros(len(rows), dtype=int), np.zeros(len(rows))
    for source in dict.fromkeys(sources):
        held = sources == source
        mean, std = x[~held].mean(0), x[~held].std(0) + 1e-6
        w, b = train((x[~held] - mean) / std, y[~held])
        z = ((x[held] - mean) / std) @ w + b
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        top = np.sort(p, 1)
        predicted[held], lead[held] = p.argmax(1), top[:, -1] - top[:, -2]
    base = LABELS.index("base")
    print(f"leave-one-source-out, {len(set(sources))} sources, {len(rows)} queries: {os.path.basename(MODEL)} embeddings + logistic head")
    for threshold in (0.0, 0.1, 0.3):
        routed = np.where(lead < threshold, base, predicted)
        wrong = np.mean((routed != base) & (routed != y))
        print(f"threshold {threshold}: macro-F1 {macro_f1(y, routed):.3f}, accuracy {np.mean(routed == y):.3f}, sent to a wrong adapter {wrong * 100:.1f}%")
    for label in range(len(LABELS)):
        mask = y == label
        print(f"  {LABELS[label]:17s} recall {np.mean(predicted[mask] == label):.3f} ({mask.sum()} queries)")


if __name__ == "__main__":
    main()
