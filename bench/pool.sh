#!/usr/bin/env bash
# Batch throughput with one engine vs a pool of two, on loopback: the same N prompts
# (default 40, GSM8K questions from bench/data) through `loco-gen --backend openai`, first to one
# llama-server, then to two (each started with --threads 1 --parallel 2, so a pool of two uses
# the 2 cores one engine of this shape cannot). Prints tokens/s and the ratio two / one.
#
#   bench/pool.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-40}
MAX_TOKENS=${MAX_TOKENS:-64}
source bench/lib.sh
bench_build
for port in 8191 8192; do bench_engine $port --parallel 2 --threads 1 --ctx-size 4096; done

export LOCO_REGISTRY="$PWD/adapters/registry.yaml" LOCO_NO_LOG=1
for i in 1 2 3; do cat bench/data/gsm8k-50.jsonl; done | sed -n "1,${N}p" | jq -c '{id, query}' \
  | "$BIN/loco-route" --adapter none | "$BIN/loco-prompt" >"$work/in.jsonl"

run() { # label, urls...
  local label=$1; shift
  local args=() u
  for u in "$@"; do args+=(--url "$u"); done
  local start end
  start=$(date +%s%N)
  "$BIN/loco-gen" --backend openai "${args[@]}" --model m --max-tokens "$MAX_TOKENS" --seed 1 --parallel $((2 * $#)) <"$work/in.jsonl" >"$work/$label.jsonl"
  end=$(date +%s%N)
  jq -s --arg name "$label" --argjson s "$(( (end - start) / 1000000 ))" \
    '{name: $name, seconds: ($s / 1000), records: length, errors: map(select(.error)) | length, tokens: (map(.samples[0].tokens // 0) | add)}' "$work/$label.jsonl"
}
# Warm both engines' caches alike before measuring.
head -2 "$work/in.jsonl" | "$BIN/loco-gen" --backend openai --url http://127.0.0.1:8191 --url http://127.0.0.1:8192 --model m --max-tokens 8 >/dev/null
one=$(run one http://127.0.0.1:8191)
two=$(run two http://127.0.0.1:8191 http://127.0.0.1:8192)
echo "# pool: $N prompts, max $MAX_TOKENS tokens, llama-server (--threads 1 --parallel 2 each) on loopback, $(bench_machine)"
jq -rn --argjson one "$one" --argjson two "$two" '
  ([$one, $two][] | "\(.name) engine(s): \(.records) records, \(.errors) errors, \(.tokens) tokens in \(.seconds * 10 | round / 10) s = \(.tokens / .seconds * 10 | round / 10) tokens/s"),
  "two / one (tokens/s): \(($two.tokens / $two.seconds) / ($one.tokens / $one.seconds) * 100 | round / 100)"'
