#!/usr/bin/env bash
# Multiple-choice questions answered two ways on the same engine in one run: each option scored
# (`loco-gen --choices score`: a /tokenize per option, then a request held to the option's tokens
# after the question and another after no question; the option the question raises most wins)
# against the answer written (`--choices generate`, the peer: what loco-gen did before, and what
# Ollama still does). Wall time of each, seconds a question, and the ratio; accuracy of each beside
# it, with its 95% Wilson interval (a cost figure: nothing is chosen here).
#
# With BEFORE=commit, loco-gen built from that commit (in a scratch worktree) scores the same
# questions too, ROUNDS times (default 3) alternating with this checkout's, so a change to scoring
# is timed against the build before it on the same engine.
#
#   bench/choices.sh [DATA.jsonl | quiz]
#     DATA  default: the mixed benchmark's general questions (OpenBookQA and PIQA, options lettered);
#           quiz: BoolQ's questions in adapters/router/train.jsonl, each with the options yes and no
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
elif [ "$DATA" = quiz ]; then
  DATA="$work/quiz.jsonl" ASKED="BoolQ's questions (adapters/router/train.jsonl), options yes and no"
  jq -c 'select(.source == "boolq-questions") | {query: (.query | rtrimstr("??") + "?"), choices: ["yes", "no"]}' \
    adapters/router/train.jsonl >"$DATA"
fi
head -n "$N" "$DATA" >"$work/items.jsonl"
if [ -n "${BEFORE:-}" ]; then
  git worktree add -q --detach "$work/before" "$BEFORE"
  trap 'git worktree remove --force "$work/before" 2>/dev/null || true; bench_cleanup' EXIT
  (cd "$work/before" && swift build -c release --product loco-gen >/dev/null)
  BEFORE_BIN=$(cd "$work/before" && swift build -c release --show-bin-path)
fi
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
    if .scored > 0 then "\($how | if . == "score" then "scored " else "written" end): \($s) s (\((($s | tonumber) / .scored * 100 | round) / 100) s a question), accuracy \(.accuracy * 1000 | round / 1000) [\(.ci95[0]), \(.ci95[1])] (\(.correct)/\(.scored))"
    else "\($how | if . == "score" then "scored " else "written" end): \($s) s (no expected answers to score)" end' \
    "$work/$how.summary.json"
done
awk -v s="$(cat "$work/score.seconds")" -v g="$(cat "$work/generate.seconds")" -v n="$scored" -v t="$tokens" \
  'BEGIN { printf "scored / written: %.2f  (%d questions scored; the written answers drew %d tokens)\n", s / g, n, t }'

[ -n "${BEFORE:-}" ] || exit 0
# The same scoring by the build before, in alternating passes: each pass's seconds, and the answers compared.
declare -A total=([before]=0 [after]=0)
for round in $(seq 1 "${ROUNDS:-3}"); do
  for side in before after; do
    bin=$BIN; [ "$side" = before ] && bin=$BEFORE_BIN
    start=$(now)
    "$bin/loco-gen" --choices score --max-tokens "$TOKENS" --seed 1 --temperature 0 <"$work/prompted.jsonl" >"$work/$side.jsonl"
    seconds=$(bench_seconds "$start" "$(now)")
    total[$side]=$(awk -v a="${total[$side]}" -v b="$seconds" 'BEGIN { print a + b }')
    echo "pass $round, scored by $side: $seconds s"
  done
  same=$(paste -d '\t' <(jq -r '.samples[0].text' "$work/before.jsonl") <(jq -r '.samples[0].text' "$work/after.jsonl") | awk -F '\t' '$1 == $2' | wc -l)
  echo "pass $round: $same of $(wc -l <"$work/after.jsonl") answers the same"
done
awk -v b="${total[before]}" -v a="${total[after]}" -v before="$BEFORE" -v after="$(git rev-parse --short HEAD)" \
  'BEGIN { printf "scored, %s / %s: %.2f  (%.1f s against %.1f s)\n", after, before, a / b, a, b }'
