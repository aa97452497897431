#!/usr/bin/env bash
# Adapter hot-swap on the embedded engine: one llama-server loads two LoRAs once
# (--lora A --lora B --lora-init-without-apply) and loco-gen applies one per request.
#   1. throughput of N records alternating A, B, A, B ... / the same N records all on A
#      (goal >= 0.9): what switching costs a batch;
#   2. latency of the first request after a switch / the next request on the same adapter,
#      one request at a time.
# A is the trained sentiment adapter, B a byte-identical copy under another name: the engine
# treats them as two adapters (a switch clears the slot's prompt cache), while every record
# produces the same tokens either way, so the ratios measure switching and nothing else.
#
#   bench/adapters.sh [N]        (default 40 held-out SST-2 reviews, 16 tokens, seed 1)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-40}
MAX_TOKENS=${MAX_TOKENS:-16}
source bench/lib.sh
bench_build

mkdir -p "$work/adapters/a" "$work/adapters/b"
cp adapters/sentiment/adapter.gguf "$work/adapters/a/adapter.gguf"
cp adapters/sentiment/adapter.gguf "$work/adapters/b/adapter.gguf"
awk '/^adapters:/ { print; exit }' adapters/registry.yaml >"$work/adapters/registry.yaml"
for name in a b; do
  sed -n '/^  sentiment:$/,/^$/p' adapters/registry.yaml | sed "s/^  sentiment:$/  $name:/" >>"$work/adapters/registry.yaml"
done
export LOCO_REGISTRY="$work/adapters/registry.yaml" LOCO_NO_LOG=1
bench_engine 8193 --parallel 2 --threads "$(nproc)" --ctx-size 4096 \
  --lora "$work/adapters/a/adapter.gguf" --lora "$work/adapters/b/adapter.gguf" --lora-init-without-apply
URL=http://127.0.0.1:8193

for i in 1 2 3; do cat adapters/sentiment/eval/benchmark.jsonl; done | sed -n "1,${N}p" | jq -c '{id, query}' \
  | "$BIN/loco-route" --adapter a | "$BIN/loco-prompt" >"$work/prompted.jsonl"
jq -c '.adapter = "a"' "$work/prompted.jsonl" >"$work/one.jsonl"
jq -c 'if input_line_number % 2 == 0 then .adapter = "b" else .adapter = "a" end' "$work/prompted.jsonl" >"$work/alternating.jsonl"

gen() { "$BIN/loco-gen" --backend llama-server --url "$URL" --max-tokens "$MAX_TOKENS" --seed 1 "$@"; }
batch() { # label: the whole file at once, 2 in flight
  local start end
  start=$(date +%s%N)
  gen --parallel 2 <"$work/$1.jsonl" >"$work/$1.out"
  end=$(date +%s%N)
  jq -s --arg name "$1" --argjson s "$(bench_seconds "$start" "$end")" \
    '{name: $name, seconds: $s, records: length, errors: map(select(.error)) | length, tokens: (map(.samples[0].tokens // 0) | add)}' "$work/$1.out"
}
gen <"$work/one.jsonl" >/dev/null   # warm-up: every prompt seen once
one=$(batch one)
alternating=$(batch alternating)

# Latency, one request at a time: a a b b a a b b ...: the first of each pair follows a switch.
jq -c 'if (input_line_number - 1) % 4 < 2 then .adapter = "a" else .adapter = "b" end' "$work/prompted.jsonl" >"$work/pairs.jsonl"
gen --parallel 1 <"$work/pairs.jsonl" >"$work/pairs.out"
latency=$(jq -s '[to_entries[] | select(.key > 0) | {after_switch: (.key % 2 == 0), ms: .value.samples[0].ms}]
  | {after_switch: (map(select(.after_switch) | .ms) | add / length), next: (map(select(.after_switch | not) | .ms) | add / length)}' "$work/pairs.out")

echo "# adapters: $N SST-2 prompts, max $MAX_TOKENS tokens, seed 1; llama-server (--parallel 2, 2 LoRAs loaded once) on loopback, $(bench_machine)"
jq -rn --argjson one "$one" --argjson alt "$alternating" --argjson lat "$latency" '
  ([$one, $alt][] | "\(.name): \(.records) records, \(.errors) errors, \(.tokens) tokens in \(.seconds * 100 | round / 100) s = \(.tokens / .seconds * 10 | round / 10) tokens/s"),
  "alternating / one adapter (tokens/s): \(($alt.tokens / $alt.seconds) / ($one.tokens / $one.seconds) * 100 | round / 100)   (goal >= 0.9)",
  "latency: first request after a switch \($lat.after_switch | round) ms, next request \($lat.next | round) ms: ratio \($lat.after_switch / $lat.next * 100 | round / 100)"'
