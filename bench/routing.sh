#!/usr/bin/env bash
# Routing throughput: loco-route's classifier and keyword routers over N records (default
# 20,000; the held-out routing queries repeated), against jq doing a comparable transform of
# the same file (each adapter's registry keywords counted as whole words by regex, the best
# count wins). Prints records/s and ours / jq (time ratio; lower is faster). Then, when an
# embedding engine answers, the embedding and hybrid routers against curl (below).
#
#   bench/routing.sh [N]          E=2000 records for the embedding routers
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
RUNS=${RUNS:-3}
source bench/lib.sh
bench_need_hyperfine
bench_build

python3 - "$N" adapters/router/test.jsonl >"$work/in.jsonl" <<'PY'
import itertools, json, sys
queries = [json.loads(line)["query"] for line in open(sys.argv[2])]
for i, query in zip(range(int(sys.argv[1])), itertools.cycle(queries)):
    print(json.dumps({"id": i, "query": query}))
PY

# The jq peer: one case-insensitive whole-word regex per adapter, built from the registry.
python3 - adapters/registry.yaml >"$work/peer.jq" <<'PY'
import re, sys, yaml
adapters = yaml.safe_load(open(sys.argv[1]))["adapters"]
parts = []
for name, entry in adapters.items():
    words = entry["router_keywords"]
    words = words if isinstance(words, list) else list(words)
    alternation = "|".join(re.escape(str(w)).replace("\\ ", " ").replace("\\", "\\\\") for w in words)
    parts.append('{name: "%s", hits: ([.query | ascii_downcase | scan("\\\\b(%s)\\\\b")] | length)}' % (name, alternation))
print(". + ([%s] | max_by(.hits) | {adapter: (if .hits > 0 then .name else null end), route: {router: \"jq\"}})" % ", ".join(parts))
PY

echo "# routing: $N records ($(du -h "$work/in.jsonl" | cut -f1); held-out queries repeated), $(uname -m), $(nproc) cores, $(swift --version 2>&1 | head -1), $(jq --version)"
export LOCO_REGISTRY="$PWD/adapters/registry.yaml" LOCO_NO_LOG=1
hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$work/routing.json" \
  -n classifier "$BIN/loco-route --router classifier <$work/in.jsonl >/dev/null" \
  -n keyword "$BIN/loco-route --router keyword <$work/in.jsonl >/dev/null" \
  -n jq "jq -c -f $work/peer.jq <$work/in.jsonl >/dev/null" >/dev/null 2>&1
jq -r --argjson n "$N" '.results | map({(.command): .median}) | add as $t
  | ["classifier", "keyword", "jq"][] as $r
  | "\($r): \($n / $t[$r] | round) records/s (\($t[$r] * 100 | round / 100) s)" + (if $r == "jq" then "" else ", \($t[$r] / $t.jq * 100 | round / 100) of jq" end)' "$work/routing.json"

# The embedding and hybrid routers, when an embedding engine answers (loco setup --embeddings;
# loco engine start) and the head is there: E records (default 2,000), 32 already-read queries
# per request, against a peer that sends the same queries' first 500 characters to the same
# engine 32 per request with curl and does nothing else (the embedding's own cost).
EMBEDDINGS=${LOCO_EMBEDDINGS:-http://127.0.0.1:8079}
E=${E:-2000}
if ! curl -sf --max-time 2 "$EMBEDDINGS/health" >/dev/null || [ ! -f adapters/router/embedding-head.json ]; then
  echo "embedding, hybrid: not measured (no embedding engine at $EMBEDDINGS: loco setup --embeddings, loco engine start)"
  exit 0
fi
head -n "$E" "$work/in.jsonl" >"$work/in-e.jsonl"
jq -s -c '[.[] | .query[0:500]] | _nwise(32) | {input: .}' "$work/in-e.jsonl" >"$work/batches.jsonl"
cat >"$work/peer.sh" <<PEER
while IFS= read -r body; do curl -sf -H 'Content-Type: application/json' -d "\$body" $EMBEDDINGS/v1/embeddings >/dev/null; done <$work/batches.jsonl
PEER
hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$work/embedding.json" \
  -n embedding "$BIN/loco-route --router embedding --embeddings $EMBEDDINGS <$work/in-e.jsonl >/dev/null" \
  -n hybrid "$BIN/loco-route --router hybrid --embeddings $EMBEDDINGS <$work/in-e.jsonl >/dev/null" \
  -n curl "bash $work/peer.sh" >/dev/null 2>&1
echo "# $E records through the embedding engine at $EMBEDDINGS ($(curl -sf "$EMBEDDINGS/v1/models" | jq -r '.data[0].id' | xargs basename)), 32 per request"
jq -r --argjson n "$E" '.results | map({(.command): .median}) | add as $t
  | ["embedding", "hybrid", "curl"][] as $r
  | "\($r): \($n / $t[$r] | round) records/s (\($t[$r] * 100 | round / 100) s)" + (if $r == "curl" then "" else ", \($t[$r] / $t.curl * 100 | round / 100) of curl" end)' "$work/embedding.json"
