#!/usr/bin/env python3
"""Sums with their numbers and operators in words ("What is thirty-seven plus forty-eight?"), made
from the router's own arithmetic queries, for measuring whether such variants teach the classifier
evals' `math_equations` (sums in words under a 40-word "skilled mathematician" preface), which no
other source writes in words and which goes to math-reasoning whenever it is held out.

Reads router rows (JSON Lines) on stdin and writes, for half of the untyped queries of the chosen
sources (by a hash of the id), a variant with `style: "spelled"`, the original's source, split,
label and id + "-spelled": holding a source out holds its variants out too. A query with decimals,
literals (0x…), powers or brackets, or a number of seven digits or more, has no variant.
Numbers are written by num2words (LGPL-2.1, installed into the cache once; a data tool, not part
of LocoLLM).

Usage (the measurement in docs/routing.md):
    for split in train test; do bench/router-spelled-sums.py < adapters/router/$split.jsonl > /tmp/spelled-$split.jsonl; done
    cat adapters/router/{train,test}.jsonl /tmp/spelled-{train,test}.jsonl \\
        | loco-route eval --leave-one-source-out --predictions /tmp/spelled-routes.jsonl -
    bench/router-spelled-sums.py --originals /tmp/spelled-routes.jsonl /tmp/spelled-{train,test}.jsonl > /tmp/routes.jsonl
    bench/router-halves.py /tmp/routes.jsonl     # the same 8,644 queries as without the variants
"""
import argparse, hashlib, json, os, re, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import datasets_env  # noqa: E402

SOURCES = ["basic-arithmetic", "gym-basic-arithmetic", "bigbench-arithmetic", "bigbench-simple-arithmetic",
           "gym-chain-sum", "dm-arithmetic"]
OPERATORS = {"+": "plus", "-": "minus", "*": "times", "/": "divided by", "×": "times"}  # "%" stays: "80 % 6" is a remainder, "25 % of 300" a share


def spelled(query, words):
    """The query with each integer and operator in words, or None when it has a form not spelled."""
    if re.search(r"\d\.\d|0[xbo]|\^|\*\*|[()]", query) or not re.search(r"\d", query):
        return None
    parts = []
    for token in re.findall(r"(?<![\d)])-?\d+|[+\-*/×]|[^\d+\-*/×]+", query):
        if re.fullmatch(r"-?\d+", token):
            if abs(int(token)) > 999_999:
                return None
            parts.append(words(int(token)).replace(" and ", " ").replace("minus", "negative"))
        else:
            parts.append(OPERATORS.get(token, token).strip())
    text = " ".join(part for part in parts if part)
    return re.sub(r"\s+([?.])", r"\1", re.sub(r"\s*=\s*$", "", text))


def originals(routes, variant_files):
    """The prediction rows of `routes` less those of the variants: the figures on the original queries."""
    variants = {json.loads(line)["query"] for path in variant_files for line in open(path) if line.strip()}
    for line in open(routes):
        if line.strip() and json.loads(line)["query"] not in variants:
            sys.stdout.write(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--originals", nargs="+", metavar=("ROUTES", "VARIANTS"),
                        help="print ROUTES' prediction rows less those of the queries in the VARIANTS files")
    args = parser.parse_args()
    if args.originals:
        if len(args.originals) < 2:
            parser.error("--originals needs a predictions file and at least one variants file")
        return originals(args.originals[0], args.originals[1:])
    sys.path.insert(0, datasets_env.installed(["num2words==0.5.14"], "num2words-0.5.14"))
    from num2words import num2words
    for number, line in enumerate(sys.stdin, 1):
        try:
            row = json.loads(line)
            source, ident, query = row["source"], row["id"], row["query"]
        except (ValueError, KeyError, TypeError) as error:
            sys.exit(f"router-spelled-sums: line {number}: not a router row ({error})")
        if source not in SOURCES or row.get("style") or int(hashlib.sha256(f"spelled:{ident}".encode()).hexdigest(), 16) % 2:
            continue
        if text := spelled(query, num2words):
            print(json.dumps({**row, "id": ident + "-spelled", "query": text, "style": "spelled"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
