#!/usr/bin/env bash
# Multiple-choice questions answered two ways on the same engine in one run: each option scored
# (`loco-gen --choices score`: a /tokenize per option, then a request held to the option's tokens
# after the question and another after no question; the option the question raises most wins) against the answer written (`--choices generate`, the peer: what loco-gen
# did before, and what Ollama still does). Wall time of each, seconds a question, and the ratio;
# accuracy of each beside it, with its 95% Wilson interval (a cost figure: nothing is chosen here).
#
#   bench/choices.sh [DATA.jsonl]
#     DATA  default: the mixed benchmark's general questions (OpenBookQA and PIQA, options lettered)
#   N (default 30) questions; TOKENS (default 128, the mixed benchmark's budget) for the written answer.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-}
ASKED=${1:-the general questions of bench/data/mixed.jsonl}
N=${N:-30}
TOKENS=${TOKENS:-128}
PORT=${LOCO_BENCH_PORT:-8093}
source bench/lib.sh
bench_build
if [ -z "$DATA" ]; then
  DATA="$work/general.jsonl"
  jq -c 'select(.domain == "general")' bench/data/mixed.jsonl >"$DATA"
fi
head -n "$N" "$DATA" >"$work/items.jsonl"
bench_engine "$PORT" --parallel 1 --ctx-size 4096 --threads "$(nproc)"
export PATH="$BIN:$PATH" LOCO_BACKEND=llama-server LOCO_URL="http://127.0.0.1:$PORT" LOCO_NO_LOG=1 LOCO_REGISTRY="$PWD/adapters/registry.yaml"

echo "# choices: $(bench_machine)"
echo "# engine: Gemma 3 270M Q4_K_M, 1 slot, base model; $(wc -l <"$work/items.jsonl") questions of $ASKED; greedy, seed 1"
loco-route --adapter none <"$work/items.jsonl" | loco-prompt >"$work/prompted.jsonl"
# Warm-up: each question's prompts once, so both ways meet the same prompt cache.
loco-gen --choices score --max-tokens 1 <"$work/prompted.jsonl" >/dev/null
loco-gen --choices generate --max-tokens 1 <"$work/prompted.jsonl" >/dev/null

now() { date +%s%N; }
way() {
  local how=$1 start
  start=$(now)
  loco-gen --choices "$how" --max-tokens "$TOKENS" --seed 1 --temperature 0 <"$work/prompted.jsonl" >"$work/$how.jsonl"
  bench_seconds "$start" "$(now)" >"$work/$how.seconds"
  loco-vote <"$work/$how.jsonl" | loco-score --summary "$work/$how.summary.json" >/dev/null 2>&1 || true
}
way generate
way score
scored=$(jq -s 'map(select(.samples[0].done_reason == "scored")) | length' "$work/score.jsonl")
tokens=$(jq -s 'map(.samples[0].tokens) | add' "$work/generate.jsonl")
for how in generate score; do
  jq -r --arg how "$how" --arg s "$(cat "$work/$how.seconds")" '
    "\($how | if . == "score" then "scored " else "written" end): \($s) s (\((($s | tonumber) / .scored * 100 | round) / 100) s a question), accuracy \(.accuracy * 1000 | round / 1000) [\(.ci95[0]), \(.ci95[1])] (\(.correct)/\(.scored))"' \
    "$work/$how.summary.json"
done
awk -v s="$(cat "$work/score.seconds")" -v g="$(cat "$work/generate.seconds")" -v n="$scored" -v t="$tokens" \
  'BEGIN { printf "scored / written: %.2f  (%d questions scored; the written answers drew %d tokens)\n", s / g, n, t }'
