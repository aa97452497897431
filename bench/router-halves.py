#!/usr/bin/env python3
"""Leave-one-source-out figures on two fixed halves of the router's sources.

A router recipe (features, weighting, threshold) may be chosen on the development half's folds
only; the confirmation half's folds are reported, never looked at while choosing, so a change
that merely fits the folds it was tuned on shows up as a drop there. The halves: within each
label, the sources sorted by name, alternately development and confirmation.

Usage:
    cat adapters/router/{train,test}.jsonl \\
        | loco-route eval --leave-one-source-out --predictions /tmp/routes.jsonl -
    bench/router-halves.py /tmp/routes.jsonl            # development, confirmation and all
    bench/router-halves.py /tmp/routes.jsonl dev        # only the half a recipe may be chosen on
"""
import collections
import json
import sys


def halves(rows):
    sources = collections.defaultdict(set)
    for row in rows:
        sources[row["expected"] or "base"].add(row["source"])
    half = {}
    for names in sources.values():
        for index, name in enumerate(sorted(names)):
            half[name] = "dev" if index % 2 == 0 else "confirm"
    return sorted(sources), half


def figures(rows, labels):
    right, claimed, expected = collections.Counter(), collections.Counter(), collections.Counter()
    for row in rows:
        want, got = row["expected"] or "base", row["routed"] or "base"
        expected[want] += 1
        claimed[got] += 1
        right[want] += want == got
    f1 = {}
    for label in labels:
        precision = right[label] / claimed[label] if claimed[label] else 0
        recall = right[label] / expected[label] if expected[label] else 0
        f1[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0
    wrong = sum(1 for row in rows if row["routed"] and row["routed"] != row["expected"])
    return sum(f1.values()) / len(f1), f1, wrong / max(len(rows), 1)


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) > 1 else 2)
    with open(sys.argv[1]) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    labels, half = halves(rows)
    wanted = sys.argv[2:] or ["dev", "confirm", "all"]
    for router in sorted({row["router"] for row in rows}):
        for part in wanted:
            chosen = [r for r in rows if r["router"] == router and (part == "all" or half[r["source"]] == part)]
            macro, f1, wrong = figures(chosen, labels)
            per = " ".join(f"{label}={value:.2f}" for label, value in f1.items())
            print(f"{router:11s} {part:8s} {len(chosen):5d} queries  macro-F1 {macro:.3f}  to a wrong adapter {wrong * 100:4.1f}%  {per}")


if __name__ == "__main__":
    main()
