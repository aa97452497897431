#!/usr/bin/env python3
"""Router rows with their source's template taken off, for measuring whether a classifier that must
also route a request's bare payload ("5535 * 6061.", a learner's sentence, a review) carries to
sources whose template it never saw. Held out, most of what is still missed is a source's own
request template ("Solve the following multiplication: …", "can you check my grammar? …").

A query's template is the longest run of its leading words, and of its closing words, that a
tenth or more of its source's untyped queries share (three at least; two words or more). Reads
router rows (JSON Lines) on stdin and writes, for half of the untyped queries that carry a
template (by a hash of the id), the query without it, with `style: "bare"`, the original's source,
label and id + "-bare": holding a source out holds its bare rows out too. A query left with fewer
than two words has none.

Usage (the measurement in docs/routing.md):
    cat adapters/router/{train,test}.jsonl | bench/router-template-free.py > /tmp/bare.jsonl
    cat adapters/router/{train,test}.jsonl /tmp/bare.jsonl \\
        | loco-route eval --leave-one-source-out --predictions /tmp/bare-routes.jsonl -
    bench/router-spelled-sums.py --originals /tmp/bare-routes.jsonl /tmp/bare.jsonl > /tmp/routes.jsonl
    bench/router-halves.py /tmp/routes.jsonl     # the same 8,644 queries as without the bare rows
"""
import argparse, collections, hashlib, json, sys


class Templates:
    """A source's templates: the runs of leading (or closing) words that a tenth or more of its
    untyped queries share, three at least, two words or more."""
    def __init__(self, queries, closing):
        self.closing = closing
        self.shared = len(queries) / 10
        self.counts = collections.Counter()
        for query in queries:
            words = self.words(query)
            self.counts.update(words[:k] for k in range(2, len(words)))

    def words(self, query):
        return tuple(reversed(query.split())) if self.closing else tuple(query.split())

    def length(self, query):
        """How many of the query's leading (or closing) words are a template."""
        words = self.words(query)
        return max((k for k in range(2, len(words)) if self.counts[words[:k]] >= max(3, self.shared)), default=0)


def bare(query, lead, close):
    """The query without its template's lead and close, or None when it carries neither or too little is left."""
    words = query.split()
    start, end = lead.length(query), len(words) - close.length(query)
    return " ".join(words[start:end]) if (start or end < len(words)) and end - start >= 2 else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.parse_args()
    rows = []
    for number, line in enumerate(sys.stdin, 1):
        try:
            row = json.loads(line)
            row["source"], row["id"], row["query"]
        except (ValueError, KeyError, TypeError) as error:
            sys.exit(f"router-template-free: line {number}: not a router row ({error})")
        rows.append(row)
    by_source = collections.defaultdict(list)
    for row in rows:
        if not row.get("style"):
            by_source[row["source"]].append(row["query"])
    templates = {source: (Templates(queries, False), Templates(queries, True)) for source, queries in by_source.items()}
    for row in rows:
        if row.get("style") or int(hashlib.sha256(f"bare:{row['id']}".encode()).hexdigest(), 16) % 2:
            continue
        if text := bare(row["query"], *templates[row["source"]]):
            print(json.dumps({**row, "id": row["id"] + "-bare", "query": text, "style": "bare"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
