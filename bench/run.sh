#!/usr/bin/env bash
# `loco run` over a problem set against the engine's own concurrent throughput: the same N GSM8K
# questions (default 40), the base model (--adapter none), greedy, the same token budget, sent to
# one llama-server with P slots (default 5) by `loco run` (its default: as many records in flight
# as the engine has slots) and by curl with P requests in flight (xargs -P). `loco run` does all
# the rest too: routing, RE2 prompts, votes, scores, rows. Prints tokens/s for each and
# ours / curl (goal >= 0.95).
#
#   bench/run.sh [N] [P]      (ROUNDS=2 interleaved passes)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-40}
P=${2:-5}
MAX_TOKENS=${MAX_TOKENS:-64}
PORT=${PORT:-8195}
source bench/lib.sh
bench_build
bench_engine "$PORT" --parallel "$P" --threads "$(nproc)" --ctx-size 8192
URL="http://127.0.0.1:$PORT"

export LOCO_REGISTRY="$PWD/adapters/registry.yaml" LOCO_NO_LOG=1 LOCO_BIN="$BIN"
export LOCO_BACKEND=llama-server LOCO_URL="$URL" LOCO_MAX_TOKENS="$MAX_TOKENS"
{ cat bench/data/gsm8k-50.jsonl bench/data/gsm8k-50.jsonl; } | sed -n "1,${N}p" | jq -c '{id, query, expected}' >"$work/set.jsonl"
# curl's requests: the body loco-gen sends to /completion for each (greedy, seed 1).
"$BIN/loco-route" --adapter none <"$work/set.jsonl" | "$BIN/loco-prompt" \
  | jq -c --argjson n "$MAX_TOKENS" '{prompt, temperature: 0, n_predict: $n, cache_prompt: true, stop: .stop, seed: 1}' >"$work/bodies.jsonl"
split -l 1 -d -a 4 "$work/bodies.jsonl" "$work/body."

# Warm the prompt cache alike for both.
bin/loco run "$work/set.jsonl" --adapter none --seed 1 --max-tokens 4 -o "$work/warm.jsonl" >/dev/null || true

# Interleaved rounds (curl, then loco run), so drift in the machine's speed falls on both alike.
curl_ns=0 ours_ns=0 curl_tokens=0 ours_tokens=0
for round in $(seq 1 "${ROUNDS:-2}"); do
  start=$(date +%s%N)
  ls "$work"/body.* | grep -v '\.out$' | xargs -P "$P" -I{} sh -c 'curl -sf -H "Content-Type: application/json" --data-binary @{} '"$URL"'/completion > {}.out'
  mid=$(date +%s%N)
  bin/loco run "$work/set.jsonl" --adapter none --seed 1 -o "$work/ours.jsonl" >/dev/null || true
  end=$(date +%s%N)
  curl_ns=$(( curl_ns + mid - start )) ours_ns=$(( ours_ns + end - mid ))
  curl_tokens=$(( curl_tokens + $(cat "$work"/body.*.out | jq -s 'map(.tokens_predicted) | add') ))
  ours_tokens=$(( ours_tokens + $(jq -s 'map(.samples[0].tokens) | add' "$work/ours.jsonl") ))
  rm -f "$work"/body.*.out
done
curl_s=$(bench_seconds 0 "$curl_ns")
ours_s=$(bench_seconds 0 "$ours_ns")

echo "# run: $N GSM8K questions x ${ROUNDS:-2} rounds, max $MAX_TOKENS tokens, $P in flight, one llama-server (--parallel $P), $(bench_machine)"
jq -rn --argjson ct "$curl_tokens" --argjson cs "$curl_s" --argjson ot "$ours_tokens" --argjson os "$ours_s" '
  "curl (xargs -P): \($ct) tokens in \($cs) s = \($ct / $cs * 10 | round / 10) tokens/s",
  "loco run:        \($ot) tokens in \($os) s = \($ot / $os * 10 | round / 10) tokens/s",
  "loco run / curl (tokens/s): \(($ot / $os) / ($ct / $cs) * 100 | round / 100)  (goal >= 0.95)"'
