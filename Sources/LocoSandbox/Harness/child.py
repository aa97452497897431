"""The process that runs the code under test for LocoLLM's harness (harness.py), then answers its
requests: call this, read that attribute, list this, one JSON line each way. It is started fresh
(never forked from the harness), so it never holds the tests, the expected answers or the nonce."""
import builtins
import json
import os
import sys
import traceback

sys.path.insert(0, "/sandbox")
import wire  # noqa: E402

requests = os.fdopen(int(sys.argv[1]), "rb")
replies = os.fdopen(int(sys.argv[2]), "wb")
del sys.argv[1:]
objects = []


def handle_of(value):
    objects.append(value)
    return len(objects) - 1


def send(message):
    replies.write((json.dumps(message) + "\n").encode())
    replies.flush()


def remote(handle, _type):
    return objects[handle]


def answer(request):
    target = objects[int(request["id"])]
    op = request["op"]
    if op == "call":
        args = [wire.decode(a, remote) for a in request["args"]]
        kwargs = {k: wire.decode(v, remote) for k, v in request["kwargs"].items()}
        return target(*args, **kwargs)
    if op == "getattr":
        return getattr(target, request["name"])
    if op == "list":
        return list(target)
    if op == "len":
        return len(target)
    if op == "getitem":
        return target[wire.decode(request["key"], remote)]
    raise ValueError(f"unknown request {op!r}")


def describe(error):
    return f"{type(error).__name__}: {str(error)[:200]}"


def main():
    namespace = {"__builtins__": builtins, "__name__": "solution"}
    try:
        with open("/sandbox/solution.py", encoding="utf-8") as source:
            code = compile(source.read(), "solution.py", "exec")
        exec(code, namespace)
    except BaseException as error:  # noqa: BLE001 - SystemExit too: the code did not load
        traceback.print_exc()
        send({"load_error": "the code failed to load: " + describe(error)})
        return
    names = {name: wire.encode(value, handle_of) for name, value in namespace.items() if not name.startswith("__")}
    send({"names": names})
    for line in requests:
        try:
            send({"value": wire.encode(answer(json.loads(line)), handle_of)})
        except BaseException as error:  # noqa: BLE001 - the code's exceptions fail one test
            send({"error": describe(error)})


main()
