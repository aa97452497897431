#!/usr/bin/env bash
# `loco-gen --parallel P` against the engine's own concurrent throughput: the same N prompts
# (default 40 GSM8K questions, RE2 prompts from loco-prompt), the same token budget and seeds,
# sent to one llama-server (--parallel P slots) by loco-gen with P records in flight, and by
# curl with P requests in flight (xargs -P). Prints tokens/s for each and ours / curl
# (goal >= 0.95).
#
#   bench/parallel.sh [N] [P]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-40}
P=${2:-4}
MAX_TOKENS=${MAX_TOKENS:-64}
PORT=${PORT:-8193}
source bench/lib.sh
bench_build
bench_engine "$PORT" --parallel "$P" --threads "$(nproc)" --ctx-size 8192
URL="http://127.0.0.1:$PORT"

export LOCO_REGISTRY="$PWD/adapters/registry.yaml" LOCO_NO_LOG=1
{ cat bench/data/gsm8k-50.jsonl bench/data/gsm8k-50.jsonl; } | sed -n "1,${N}p" | jq -c '{id, query}' \
  | "$BIN/loco-route" --adapter none | "$BIN/loco-prompt" >"$work/in.jsonl"
# curl's requests: the body loco-gen sends to /completion (greedy, seed 1).
jq -c --argjson n "$MAX_TOKENS" '{prompt, temperature: 0, n_predict: $n, cache_prompt: true, stop: .stop, seed: 1}' "$work/in.jsonl" >"$work/bodies.jsonl"
split -l 1 -d -a 4 "$work/bodies.jsonl" "$work/body."


# Warm the prompt cache alike for both.
"$BIN/loco-gen" --backend llama-server --url "$URL" --max-tokens 4 --parallel "$P" <"$work/in.jsonl" >/dev/null

start=$(date +%s%N)
ls "$work"/body.* | xargs -P "$P" -I{} sh -c 'curl -sf -H "Content-Type: application/json" --data-binary @{} '"$URL"'/completion > {}.out'
end=$(date +%s%N)
curl_s=$(bench_seconds "$start" "$end")
curl_tokens=$(cat "$work"/body.*.out | jq -s 'map(.tokens_predicted) | add')

start=$(date +%s%N)
"$BIN/loco-gen" --backend llama-server --url "$URL" --max-tokens "$MAX_TOKENS" --seed 1 --parallel "$P" <"$work/in.jsonl" >"$work/ours.jsonl"
end=$(date +%s%N)
ours_s=$(bench_seconds "$start" "$end")
ours_tokens=$(jq -s 'map(.samples[0].tokens) | add' "$work/ours.jsonl")

echo "# parallel: $N prompts, max $MAX_TOKENS tokens, $P in flight, one llama-server (--parallel $P), $(bench_machine)"
jq -rn --argjson ct "$curl_tokens" --argjson cs "$curl_s" --argjson ot "$ours_tokens" --argjson os "$ours_s" '
  "curl (xargs -P): \($ct) tokens in \($cs) s = \($ct / $cs * 10 | round / 10) tokens/s",
  "loco-gen --parallel: \($ot) tokens in \($os) s = \($ot / $os * 10 | round / 10) tokens/s",
  "loco-gen / curl (tokens/s): \(($ot / $os) / ($ct / $cs) * 100 | round / 100)  (goal >= 0.95)"'
