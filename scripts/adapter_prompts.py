"""The exact prompt an adapter sees at run time, for training data: each query routed to the
adapter and prompted by the built tools themselves (loco-route --adapter NAME | loco-prompt), so
training and inference never drift apart."""
import json, os, subprocess, sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def tool(name):
    for candidate in (os.path.join(ROOT, ".build", "release", name), os.path.join(ROOT, ".build", "debug", name)):
        if os.access(candidate, os.X_OK):
            return candidate
    sys.exit(f"{os.path.basename(sys.argv[0])}: {name} is not built; run 'swift build -c release' first")


def prompts(adapter, rows):
    """rows: dicts with `id` and `query`; returns their prompts in order."""
    env = dict(os.environ, LOCO_NO_LOG="1", LOCO_REGISTRY=os.path.join(ROOT, "adapters", "registry.yaml"))
    lines = "".join(json.dumps({"id": r["id"], "query": r["query"]}) + "\n" for r in rows)
    routed = subprocess.run([tool("loco-route"), "--adapter", adapter], input=lines, capture_output=True, text=True, env=env, check=True).stdout
    prompted = subprocess.run([tool("loco-prompt")], input=routed, capture_output=True, text=True, env=env, check=True).stdout
    result = [json.loads(line)["prompt"] for line in prompted.splitlines()]
    assert len(result) == len(rows)
    return result
