#!/usr/bin/env python3
"""Fuzzes LocoLLM's stage tools with hostile JSON Lines and checks the record contract.

    scripts/fuzz.py --stage loco-route --lines 100000 --seed 1 [--bin DIR] [--timeout S]

Generates a seeded mix of good records and bad lines (invalid UTF-8, byte-order marks, CRLF,
empty lines, lines of several MB, deep nesting, wrong types for every known field, numbers as
strings and strings as numbers, duplicate keys, nulls everywhere, truncated JSON, random bytes,
records that already carry an error), runs the stage once over all of it, and checks:
no crash (exit status 0 or 1), no hang (finishes within --timeout), exactly one output line per
input line, each output line a JSON object that is either a good record or an error record
naming its line (or an earlier error passed through unchanged). Prints one JSON line of figures.
loco-gen is pointed at a closed port, so every record it accepts ends as an error record fast.
"""
import argparse, json, os, random, subprocess, sys, tempfile, time

KNOWN = ["id", "query", "expected", "adapter", "route", "messages", "prompt", "stop", "strategy",
         "model", "backend", "samples", "answers", "answer", "votes", "agreement", "score", "error", "raw"]
# No adapter whose answers are programs (arithmetic, math-reasoning): loco-vote would run a fifth of
# the lines in the sandbox, which tests the sandbox's speed, not the record contract (hostile
# programs have their own tests, HostileProgramTests).
ADAPTERS = ["sentiment", "code-python", "writing-academic", None, "no-such-adapter"]
WORDS = ["calculate", "sum", "summarize", "python", "function", "essay", "how", "many", "the", "15%",
         "über", "数学", "🙂", "\u0000", "\\", "\"", "\t", "naïve", "def", "return"]


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def wrong_value(rng):
    return rng.choice([None, True, False, 0, -1, 1e308, "12", "", [], {}, [None], {"a": None}, [1, "x"], "\u2028"])


def good_record(rng, i):
    text = words(rng, rng.randint(0, 12))
    record = {"id": i, "query": text}
    kind = rng.random()
    if kind < 0.25:
        record["expected"] = rng.choice(["18", "1,000", "$5.00", "four", 42, "-3.5"])
    if kind < 0.5:
        record["adapter"] = rng.choice(ADAPTERS)
    if rng.random() < 0.5:
        record["messages"] = [{"role": "user", "content": text}]
        record["prompt"] = "Q: " + text + "\nA:"
        record["stop"] = ["\nQ:"]
    if rng.random() < 0.5:
        record["samples"] = [{"text": rng.choice(["The answer is 18.", "1,000", "", words(rng, 5)]), "tokens": 3, "ms": 1,
                              "done_reason": "stop"} for _ in range(rng.randint(0, 4))]
    if rng.random() < 0.5:
        record["answer"] = rng.choice(["18", "1000", "", "four"])
    return record


def line_for(rng, i):
    """One input line as bytes, never containing a newline."""
    r = rng.random()
    if r < 0.30:
        return json.dumps(good_record(rng, i), ensure_ascii=rng.random() < 0.5).encode()
    if r < 0.40:  # wrong types for every known field
        record = good_record(rng, i)
        for key in rng.sample(KNOWN, rng.randint(1, 6)):
            record[key] = wrong_value(rng)
        return json.dumps(record).encode()
    if r < 0.45:  # numbers as strings, strings as numbers
        return json.dumps({"id": str(i), "query": rng.randint(0, 10**6), "expected": "1e3", "samples": "3",
                           "answer": 7, "adapter": 1}).encode()
    if r < 0.50:  # nulls everywhere
        return json.dumps({k: None for k in rng.sample(KNOWN, rng.randint(1, len(KNOWN)))}).encode()
    if r < 0.55:  # duplicate keys
        return ('{"query":"a","query":%s,"id":%d,"id":"dup"}' % (json.dumps(words(rng, 3)), i)).encode()
    if r < 0.60:  # invalid UTF-8
        good = json.dumps(good_record(rng, i)).encode()
        cut = rng.randint(1, max(1, len(good) - 1))
        return good[:cut] + bytes(rng.choice([[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]])) + good[cut:]
    if r < 0.64:  # byte-order mark
        return b"\xef\xbb\xbf" + json.dumps(good_record(rng, i)).encode()
    if r < 0.68:  # CRLF
        return json.dumps(good_record(rng, i)).encode() + b"\r"
    if r < 0.72:  # empty and blank lines
        return rng.choice([b"", b" ", b"\t", b"\r", b"  \r"])
    if r < 0.75:  # deep nesting
        depth = rng.choice([10, 255, 256, 257, 1000, 20000])
        opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
        return ('{"query":"deep","x":' + opener * depth + "1" + closer * depth + "}").encode()
    if r < 0.80:  # truncated JSON
        good = json.dumps(good_record(rng, i)).encode()
        return good[: rng.randint(0, len(good) - 1)]
    if r < 0.85:  # random bytes without newlines
        return bytes(b for b in (rng.randint(0, 255) for _ in range(rng.randint(1, 200))) if b != 0x0A)
    if r < 0.90:  # not an object
        return json.dumps(rng.choice([[1, 2], "query", 42, None, True, [{"query": "x"}]])).encode()
    if r < 0.95:  # an earlier stage's error
        return json.dumps({"id": i, "query": "q", "error": rng.choice([{"stage": "loco-x", "message": "m", "line": 1}, "text", 5])}).encode()
    if r < 0.97:  # escapes and surrogates
        return ('{"query":"\\ud83d\\ude00 \\ud800 \\u0000 \\"x\\"","id":%d}' % i).encode()
    return json.dumps(good_record(rng, i)).encode()


def big_lines(rng):
    """A few lines of several MB."""
    yield json.dumps({"id": "big-text", "query": "x" * (3 << 20)}).encode()
    yield json.dumps({"id": "big-array", "query": "q", "samples": [{"text": "1,000"}] * 200000}).encode()
    yield b"{" + b'"k":' * 10 + b"x" * (2 << 20)


def generate(path, lines, seed):
    rng = random.Random(seed)
    with open(path, "wb") as f:
        big = list(big_lines(rng))
        slots = set(rng.sample(range(lines), min(len(big), lines)))
        for i in range(lines):
            line = big.pop() if i in slots and big else line_for(rng, i)
            f.write(line + b"\n")


def check(input_path, output_path, stage):
    with open(input_path, "rb") as f:
        inputs = f.read().split(b"\n")[:-1]
    with open(output_path, "rb") as f:
        outputs = f.read().split(b"\n")
    if outputs and outputs[-1] == b"":
        outputs.pop()
    bad, good, errors, passed = [], 0, 0, 0
    for n, out in enumerate(outputs, 1):
        try:
            record = json.loads(out.decode("utf-8"))
        except Exception as e:
            bad.append(f"line {n}: output is not JSON: {e}")
            continue
        if not isinstance(record, dict):
            bad.append(f"line {n}: output is not an object")
            continue
        err = record.get("error")
        if err is None:
            good += 1
        elif isinstance(err, dict) and err.get("stage") == stage:
            errors += 1
            if err.get("line") != n:
                bad.append(f"line {n}: error names line {err.get('line')}")
        else:
            passed += 1
            original = inputs[n - 1] if n <= len(inputs) else b""
            if original.startswith(b"\xef\xbb\xbf"):
                original = original[3:]
            if original.endswith(b"\r"):
                original = original[:-1]
            if out != original:
                bad.append(f"line {n}: an earlier error was not passed through unchanged")
    return {"good": good, "error_records": errors, "passed_through": passed, "contract_violations": len(bad), "examples": bad[:5]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stage", required=True, choices=["loco-route", "loco-prompt", "loco-gen", "loco-vote", "loco-score"])
    ap.add_argument("--lines", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default=os.environ.get("LOCO_BIN", os.path.join(os.path.dirname(__file__), "..", ".build", "debug")))
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inp, out, err = (os.path.join(tmp, n) for n in ("in.jsonl", "out.jsonl", "err.txt"))
        generate(inp, args.lines, args.seed)
        cmd = [os.path.join(args.bin, args.stage)]
        if args.stage == "loco-gen":
            cmd += ["--backend", "llama-server", "--url", "http://127.0.0.1:9", "--timeout", "2"]
        started = time.time()
        hang = False
        with open(inp, "rb") as i, open(out, "wb") as o, open(err, "wb") as e:
            p = subprocess.Popen(cmd, stdin=i, stdout=o, stderr=e)
            try:
                status = p.wait(timeout=args.timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                status = p.wait()
                hang = True
        seconds = time.time() - started
        figures = {"stage": args.stage, "seed": args.seed, "lines_in": args.lines,
                   "lines_in_bytes": os.path.getsize(inp), "seconds": round(seconds, 2),
                   "exit_status": status, "crashes": int(status not in (0, 1) and not hang), "hangs": int(hang)}
        with open(out, "rb") as f:
            figures["lines_out"] = f.read().count(b"\n")
        figures.update(check(inp, out, args.stage))
        print(json.dumps(figures))
        ok = not hang and figures["crashes"] == 0 and figures["lines_out"] == args.lines and figures["contract_violations"] == 0
        sys.exit(0 if ok else 1)


main()
