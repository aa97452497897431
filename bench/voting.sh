#!/usr/bin/env bash
# Voting cost and accuracy on the embedded engine, from one run with the same prompts, seed and
# token budget. Prints:
#   1. `loco query --votes 5` (loco-query) / the engine's own 5 completions driven by curl (n_cmpl 5)
#   2. a 5-vote query / a plain (greedy, 1-sample) query
#   3. on 50 real math items: accuracy with 1 greedy vote, 5 votes, 5 votes with early stop and
#      5 votes with Adaptive-Consistency's Beta rule at CONFIDENCE (default 0.85), and the mean
#      samples drawn by each way of stopping
#
#   bench/voting.sh [DATA.jsonl]     (default bench/data/arithmetic-50.jsonl; also gsm8k-50.jsonl)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-bench/data/arithmetic-50.jsonl}
TOKENS=${TOKENS:-96}
TEMPERATURE=${TEMPERATURE:-0.3}
RUNS=${RUNS:-5}
CONFIDENCE=${CONFIDENCE:-0.85}
PORT=${LOCO_BENCH_PORT:-8090}
source bench/lib.sh
bench_need_hyperfine
bench_build
# The engine as `loco setup` leaves it: every adapter the project ships loaded, 5 slots.
loras=()
for weights in adapters/*/adapter.gguf; do loras+=(--lora "$PWD/$weights"); done
bench_engine "$PORT" --parallel 5 --ctx-size 8192 --threads "$(nproc)" "${loras[@]}" --lora-init-without-apply
export PATH="$BIN:$PATH" LOCO_BACKEND=llama-server LOCO_URL="http://127.0.0.1:$PORT"

echo "# voting benchmark: $(bench_machine)"
echo "# engine: Gemma 3 270M Q4_K_M, 5 slots, LoRAs: $(ls adapters/*/adapter.gguf | cut -d/ -f2 | paste -sd, -); $(wc -l <"$DATA") items of $DATA, $TOKENS tokens, temperature $TEMPERATURE, seed 1"

# One real item, prompted as the pipeline prompts it.
head -1 "$DATA" >"$work/one.jsonl"
loco-route <"$work/one.jsonl" | loco-prompt >"$work/prompted.jsonl"
# The same `lora` list loco-gen sends: every loaded adapter at 0, the record's own (if loaded) at 1.
# (Leaving it out changes the engine's arithmetic, and sampled answers then differ in length.)
curl -sf "$LOCO_URL/lora-adapters" >"$work/loras.json"
jq -c --argjson n "$TOKENS" --arg t "$TEMPERATURE" --slurpfile loras "$work/loras.json" '
  (.adapter // "") as $a
  | {prompt, stop, n_predict: $n, n_cmpl: 5, temperature: ($t | tonumber), seed: 1, cache_prompt: true}
  + (if ($loras[0] | length) > 0
     then {lora: [$loras[0][] | {id, scale: (if $a != "" and (.path | contains("/adapters/" + $a + "/")) then 1 else 0 end)}]}
     else {} end)' "$work/prompted.jsonl" >"$work/curl5.json"
# What a user runs: `loco query --votes 5` (all five drawn, as curl draws five) and a plain `loco query`.
question=$(jq -r .query "$work/one.jsonl")
printf '%s\n' "$question" >"$work/question.txt"
query5="loco-query \"\$(cat $work/question.txt)\" --votes 5 --no-early-stop --temperature $TEMPERATURE --seed 1 --max-tokens $TOKENS --no-log >/dev/null"
query1="loco-query \"\$(cat $work/question.txt)\" --seed 1 --max-tokens $TOKENS --no-log >/dev/null"
curl5="curl -sf $LOCO_URL/completion -d @$work/curl5.json >/dev/null"
hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$work/times.json" \
  -n query5 "$query5" -n curl5 "$curl5" -n query1 "$query1" >/dev/null 2>&1
# Tokens each way, since a sample that stops early costs less than one that runs to the budget.
tokens5=$(loco-query "$question" --votes 5 --no-early-stop --temperature "$TEMPERATURE" --seed 1 --max-tokens "$TOKENS" --no-log --json | jq '[.samples[].tokens] | add')
tokens1=$(loco-query "$question" --seed 1 --max-tokens "$TOKENS" --no-log --json | jq '.samples[0].tokens')
curltokens=$(curl -sf "$LOCO_URL/completion" -d @"$work/curl5.json" | jq '[.[].tokens_predicted] | add')
jq -r --argjson t5 "$tokens5" --argjson t1 "$tokens1" --argjson tc "$curltokens" '.results | map({(.command): .median}) | add
  | "5-vote query / curl n_cmpl 5:  \(.query5 / .curl5 * 100 | round / 100)   (\(.query5 * 1000 | round) ms for \($t5) tokens vs \(.curl5 * 1000 | round) ms for \($tc); goal <= 1.1)",
    "5-vote query / 1-sample query: \(.query5 / .query1 * 100 | round / 100)   (\(.query5 * 1000 | round) ms for \($t5) tokens vs \(.query1 * 1000 | round) ms for \($t1); per token \((.query5 / $t5) / (.query1 / $t1) * 100 | round / 100); the seed assumed 5.0)"' "$work/times.json"

# Accuracy on the whole set, each way.
run() { loco-route <"$DATA" | loco-prompt | loco-gen --max-tokens "$TOKENS" --seed 1 "$@" | loco-vote | loco-score --summary "$work/s.json" >"$work/out.jsonl" 2>/dev/null || true; }
summary() { jq -r --arg name "$1" '"\($name): accuracy \(.accuracy) (\(.correct)/\(.scored))"' "$work/s.json"; }
start=$(date +%s.%N); run --temperature 0; t1=$(echo "$(date +%s.%N) - $start" | bc)
summary "1 vote (greedy)      "
start=$(date +%s.%N); run --samples 5 --temperature "$TEMPERATURE"; t5=$(echo "$(date +%s.%N) - $start" | bc)
summary "5 votes              "
start=$(date +%s.%N); run --samples 5 --temperature "$TEMPERATURE" --early-stop; te=$(echo "$(date +%s.%N) - $start" | bc)
summary "5 votes, early stop  "
jq -s '"mean samples drawn with early stop: \(map(.sampling.drawn) | add / length * 100 | round / 100) of 5 (goal <= 3.5)"' -r "$work/out.jsonl"
# Adaptive-Consistency's Beta rule: stops once the leader is that sure, a stated risk.
start=$(date +%s.%N); run --samples 5 --temperature "$TEMPERATURE" --stop-confidence "$CONFIDENCE"; tb=$(echo "$(date +%s.%N) - $start" | bc)
summary "5 votes, Beta rule $CONFIDENCE"
jq -s --arg c "$CONFIDENCE" '"mean samples drawn with the Beta rule at \($c): \(map(.sampling.drawn) | add / length * 100 | round / 100) of 5 (goal <= 3.5)"' -r "$work/out.jsonl"
printf 'wall time over %d items: 1 vote %.0f s, 5 votes %.0f s, early stop %.0f s, Beta rule %.0f s\n' "$(wc -l <"$DATA")" "$t1" "$t5" "$te" "$tb"
