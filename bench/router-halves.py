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
    bench/router-halves.py /tmp/routes.jsonl --choose-threshold
        # each router's threshold chosen on the development half (0 to 0.9 by 0.05, best macro-F1),
        # then all three rows at that threshold: the confirmation row is the figure to report

    bench/router-halves.py --both-ways a.jsonl b.jsonl ...
        # one file per recipe: the recipe and threshold chosen on one half, scored on the other,
        # both ways round; the mean of the two scores is the honest figure for the choosing itself

    bench/router-halves.py /tmp/routes.jsonl --choose-threshold --base-margin
        # the threshold read another way (from the file's `scores`): a query goes to the base model
        # when the base model's probability is within the threshold of the leader's, instead of
        # whenever the two leaders are that close (which may be two adapters)

    bench/router-halves.py /tmp/routes.jsonl --choose-threshold --class-bias
        # then a log-probability added to each adapter's score (from the file's `scores`), chosen on
        # the development half by coordinate search at that threshold: a prior shifted between classes

    bench/router-halves.py /tmp/routes.jsonl --choose-threshold --keyword-vote
        # the keyword router's choice for the same query (the file's keyword rows) added to the
        # classifier's probabilities with a weight, chosen with the threshold on the development half

A query is routed at a threshold from the router's choice and confidence in the file (its
`routed` field is at the threshold `loco-route eval` used).
"""
import collections
import json
import math
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


BASE_MARGIN = "--base-margin" in sys.argv
CLASS_BIAS = "--class-bias" in sys.argv
bias = {}  # label -> log-probability added to its score, chosen on the development half
KEYWORD_VOTE = "--keyword-vote" in sys.argv
keyword = {"weight": 0.0, "choice": {}}  # the weight, chosen on the development half; (source, query) -> keyword route


def routed(row, threshold):
    if threshold is None:
        return row["routed"]
    if bias:
        scores = {label: math.log(max(p, 1e-12)) + bias.get(label, 0) for label, p in row["scores"].items()}
        top, second = sorted(scores, key=scores.get, reverse=True)[:2]
        total = sum(math.exp(value - scores[top]) for value in scores.values())
        confidence = (1 - math.exp(scores[second] - scores[top])) / total
        return top if top != "base" and confidence >= threshold else None
    if keyword["weight"] and len(row.get("scores") or {}) > 1:
        scores = dict(row["scores"])
        vote = keyword["choice"].get((row["source"], row["query"])) or "base"
        scores[vote] = scores.get(vote, 0) + keyword["weight"]
        top, second = sorted(scores, key=scores.get, reverse=True)[:2]
        confidence = (scores[top] - scores[second]) / sum(scores.values())
        return top if top != "base" and confidence >= threshold else None
    if BASE_MARGIN:
        choice = row["choice"]
        return choice if choice and row["scores"][choice] - row["scores"]["base"] >= threshold else None
    return row["choice"] if row["confidence"] >= threshold else None


def figures(rows, labels, threshold=None):
    right, claimed, expected = collections.Counter(), collections.Counter(), collections.Counter()
    for row in rows:
        want, got = row["expected"] or "base", routed(row, threshold) or "base"
        expected[want] += 1
        claimed[got] += 1
        right[want] += want == got
    f1 = {}
    for label in labels:
        precision = right[label] / claimed[label] if claimed[label] else 0
        recall = right[label] / expected[label] if expected[label] else 0
        f1[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0
    wrong = sum(1 for row in rows if routed(row, threshold) and routed(row, threshold) != row["expected"])
    return sum(f1.values()) / len(f1), f1, wrong / max(len(rows), 1)


THRESHOLDS = [step * 0.05 for step in range(19)]


def choose_bias(rows, labels, threshold):
    """Each adapter's bias in turn moved by the step that most raises these rows' macro-F1, three rounds."""
    best = figures(rows, labels, threshold)[0]
    for _ in range(3):
        for label in (l for l in labels if l != "base"):
            for step in (-1, -0.5, -0.25, 0.25, 0.5, 1):
                was = bias.get(label, 0)
                bias[label] = was + step
                score = figures(rows, labels, threshold)[0]
                if score > best + 1e-6:
                    best = score
                else:
                    bias[label] = was


def both_ways(paths, router="classifier"):
    recipes = {}
    for path in paths:
        with open(path) as f:
            recipes[path] = [r for r in map(json.loads, filter(str.strip, f)) if r["router"] == router]
    labels, half = halves(next(iter(recipes.values())))
    held_out = []
    for chosen_on, scored_on in (("dev", "confirm"), ("confirm", "dev")):
        def score(path, threshold, part):
            return figures([r for r in recipes[path] if half[r["source"]] == part], labels, threshold)
        path, threshold = max(((p, t) for p in recipes for t in THRESHOLDS),
                              key=lambda pt: (round(score(*pt, chosen_on)[0], 9), -score(*pt, chosen_on)[2]))
        mine, other = score(path, threshold, chosen_on), score(path, threshold, scored_on)
        held_out.append(other[0])
        print(f"chosen on {chosen_on:8s} {path} at threshold {threshold:.2f}: macro-F1 {mine[0]:.3f} there, "
              f"{other[0]:.3f} on {scored_on} (to a wrong adapter {other[2] * 100:.1f}%)")
    print(f"mean of the two held-out halves: macro-F1 {sum(held_out) / 2:.3f}")


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) > 1 else 2)
    if sys.argv[1] == "--both-ways":
        both_ways(sys.argv[2:])
        return
    with open(sys.argv[1]) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    labels, half = halves(rows)
    choose = "--choose-threshold" in sys.argv[2:]
    wanted = [a for a in sys.argv[2:] if a not in ("--choose-threshold", "--base-margin", "--class-bias", "--keyword-vote")] or ["dev", "confirm", "all"]
    if (BASE_MARGIN or CLASS_BIAS or KEYWORD_VOTE) and not choose:
        sys.exit("router-halves.py: --base-margin, --class-bias and --keyword-vote go with --choose-threshold")
    keyword["choice"] = {(r["source"], r["query"]): r["routed"] for r in rows if r["router"] == "keyword"}
    for router in sorted({row["router"] for row in rows if not (BASE_MARGIN or CLASS_BIAS or KEYWORD_VOTE) or "scores" in row}):
        mine = [r for r in rows if r["router"] == router]
        threshold = None
        if choose:
            dev = [r for r in mine if half[r["source"]] == "dev"]
            if KEYWORD_VOTE:
                def with_weight(wt):
                    keyword["weight"] = wt[0]
                    return (round(figures(dev, labels, wt[1])[0], 9), -wt[0], -wt[1])
                weight, threshold = max(((w, t) for w in (0, 0.1, 0.2, 0.3, 0.5) for t in THRESHOLDS), key=with_weight)
                keyword["weight"] = weight
                print(f"{router:11s} keyword router's vote weighted {weight:.2f}, chosen on the development half")
            else:
                threshold = max(THRESHOLDS, key=lambda t: (round(figures(dev, labels, t)[0], 9), -t))
            print(f"{router:11s} threshold chosen on the development half: {threshold:.2f}")
            if CLASS_BIAS:
                choose_bias(dev, labels, threshold)
                print(f"{router:11s} biases chosen on the development half: "
                      + " ".join(f"{label}={value:+.2f}" for label, value in sorted(bias.items()) if value))
        for part in wanted:
            chosen = [r for r in mine if part == "all" or half[r["source"]] == part]
            macro, f1, wrong = figures(chosen, labels, threshold)
            per = " ".join(f"{label}={value:.2f}" for label, value in f1.items())
            print(f"{router:11s} {part:8s} {len(chosen):5d} queries  macro-F1 {macro:.3f}  to a wrong adapter {wrong * 100:4.1f}%  {per}")


if __name__ == "__main__":
    main()
