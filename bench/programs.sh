#!/usr/bin/env bash
# Program answers (answer_format: program) on the embedded engine, in one run:
#   1. cost: N items answered by ADAPTER, generation (loco-gen) against reading the answers by
#      running each program in the sandbox (loco-vote) and reading the same samples without
#      running them (loco-vote --format number); the share running adds to generation (goal <= 20%)
#   2. votes over results on word problems (WORDS): one greedy program, 5 programs voted by what
#      they print, and 5 with early stop; accuracy with its 95% Wilson interval, samples drawn and
#      wall time each
#
#   bench/programs.sh [DATA.jsonl] [WORDS.jsonl]
#     DATA  default adapters/arithmetic/eval/benchmark-cross.jsonl (sums as people type them)
#     WORDS default adapters/math-reasoning/eval/benchmark-easy.jsonl (one- and two-step word problems)
#   ADAPTER (default arithmetic) answers both; TOKENS (default 96) per sample; WORDS=none skips part 2.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-adapters/arithmetic/eval/benchmark-cross.jsonl}
WORDS=${2:-adapters/math-reasoning/eval/benchmark-easy.jsonl}
ADAPTER=${ADAPTER:-arithmetic}
TOKENS=${TOKENS:-96}
TEMPERATURE=${TEMPERATURE:-0.3}
PORT=${LOCO_BENCH_PORT:-8091}
source bench/lib.sh
bench_build
loras=()
for weights in adapters/*/adapter.gguf; do loras+=(--lora "$PWD/$weights"); done
bench_engine "$PORT" --parallel 5 --ctx-size 8192 --threads "$(nproc)" "${loras[@]}" --lora-init-without-apply
export PATH="$BIN:$PATH" LOCO_BACKEND=llama-server LOCO_URL="http://127.0.0.1:$PORT" LOCO_NO_LOG=1

echo "# program answers: $(bench_machine)"
echo "# engine: Gemma 3 270M Q4_K_M, 5 slots; adapter $ADAPTER; $TOKENS tokens, seed 1"

now() { date +%s%N; }
# 1. What running the programs costs, against generating them.
loco-route --adapter "$ADAPTER" <"$DATA" | loco-prompt >"$work/prompted.jsonl"
start=$(now); loco-gen --max-tokens "$TOKENS" --seed 1 <"$work/prompted.jsonl" >"$work/generated.jsonl"; gen=$(bench_seconds "$start" "$(now)")
start=$(now); loco-vote <"$work/generated.jsonl" >"$work/ran.jsonl"; ran=$(bench_seconds "$start" "$(now)")
start=$(now); loco-vote --format number <"$work/generated.jsonl" >/dev/null; read=$(bench_seconds "$start" "$(now)")
loco-score --summary "$work/s.json" <"$work/ran.jsonl" >/dev/null 2>&1 || true
items=$(wc -l <"$DATA")
awk -v g="$gen" -v r="$ran" -v n="$read" -v items="$items" 'BEGIN {
  printf "cost over %d items: generation %.1f s, reading by running the programs %.1f s, reading without running %.2f s\n", items, g, r, n
  printf "running the programs / generating them: %.2f (%.0f ms a program; goal <= 0.20)\n", (r - n) / g, (r - n) / items * 1000 }'
jq -r --arg d "$DATA" '"greedy accuracy on \($d): \(.accuracy * 1000 | round / 1000) [\(.ci95[0]), \(.ci95[1])] (\(.correct)/\(.scored))"' "$work/s.json"
jq -r 'select(.runs) | .runs[0].ended' "$work/ran.jsonl" | sort | uniq -c | sort -rn | head -5 | sed 's/^/  runs ended: /'

# 2. Votes over results on word problems.
[ "$WORDS" = none ] && exit 0
words() {
  local name=$1; shift
  local start; start=$(now)
  loco-route --adapter "$ADAPTER" <"$WORDS" | loco-prompt | loco-gen --max-tokens "$TOKENS" --seed 1 "$@" | loco-vote \
    | loco-score --summary "$work/w.json" >"$work/w.jsonl" 2>/dev/null || true
  local took; took=$(bench_seconds "$start" "$(now)")
  local drawn; drawn=$(jq -s 'map(.sampling.drawn // 1) | add / length * 100 | round / 100' "$work/w.jsonl")
  jq -r --arg name "$name" --arg took "$took" --arg drawn "$drawn" \
    '"\($name): accuracy \(.accuracy * 1000 | round / 1000) [\(.ci95[0]), \(.ci95[1])] (\(.correct)/\(.scored)), samples drawn \($drawn), \($took | tonumber | round) s"' "$work/w.json"
}
echo "word problems: $(wc -l <"$WORDS") items of $WORDS, temperature $TEMPERATURE for the votes"
words "1 program (greedy)      " --temperature 0
words "5 programs, voted       " --samples 5 --temperature "$TEMPERATURE"
words "5 programs, early stop  " --samples 5 --temperature "$TEMPERATURE" --early-stop
