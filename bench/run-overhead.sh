#!/usr/bin/env bash
# What `loco run` costs per record beyond the engine's own work, before and after a change: the
# same N records (default 200: GSM8K questions, the base model, one token each, so the engine's
# share is small) sent to one llama-server with P slots (default 5) by curl with P requests in
# flight (the engine alone: the peer), by `loco-run` built from BEFORE (default f23ca7b, in a
# scratch worktree) and by `loco-run` built from this checkout. Rounds interleave the three, so
# drift in the machine's speed falls on all alike. Prints seconds and milliseconds per record over
# curl for each.
#
#   bench/run-overhead.sh [N] [P]      (BEFORE=commit, ROUNDS=3)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
P=${2:-5}
BEFORE=${BEFORE:-f23ca7b}
PORT=${PORT:-8196}
source bench/lib.sh
bench_build
git worktree add -q --detach "$work/before" "$BEFORE"
trap 'git worktree remove --force "$work/before" 2>/dev/null || true; bench_cleanup' EXIT
(cd "$work/before" && swift build -c release --product loco-run >/dev/null)
BEFORE_BIN=$(cd "$work/before" && swift build -c release --show-bin-path)
bench_engine "$PORT" --parallel "$P" --threads "$(nproc)" --ctx-size 8192
URL="http://127.0.0.1:$PORT"

export LOCO_REGISTRY="$PWD/adapters/registry.yaml" LOCO_NO_LOG=1
export LOCO_BACKEND=llama-server LOCO_URL="$URL" LOCO_MAX_TOKENS=1
for i in $(seq 0 $(( (N + 49) / 50 - 1 ))); do jq -c --arg r "$i" '{id: "\(.id)-\($r)", query, expected}' bench/data/gsm8k-50.jsonl; done \
  | sed -n "1,${N}p" >"$work/set.jsonl"
"$BIN/loco-route" --adapter none <"$work/set.jsonl" | "$BIN/loco-prompt" \
  | jq -c '{prompt, temperature: 0, n_predict: 1, cache_prompt: true, stop: .stop, seed: 1}' >"$work/bodies.jsonl"
split -l 1 -d -a 4 "$work/bodies.jsonl" "$work/body."

run_curl() { ls "$work"/body.* | grep -v '\.out$' | xargs -P "$P" -I{} sh -c 'curl -sf -H "Content-Type: application/json" --data-binary @{} '"$URL"'/completion > {}.out'; }
run_loco() { "$1/loco-run" "$work/set.jsonl" --adapter none --seed 1 --parallel "$P" -o "$work/out-$2.jsonl" >/dev/null 2>&1 || true; }
# Warm the prompt cache alike for all.
run_curl; run_loco "$BIN" warm

declare -A ns=([curl]=0 [before]=0 [after]=0)
for round in $(seq 1 "${ROUNDS:-3}"); do
  t0=$(date +%s%N); run_curl
  t1=$(date +%s%N); run_loco "$BEFORE_BIN" before
  t2=$(date +%s%N); run_loco "$BIN" after
  t3=$(date +%s%N)
  ns[curl]=$(( ns[curl] + t1 - t0 )) ns[before]=$(( ns[before] + t2 - t1 )) ns[after]=$(( ns[after] + t3 - t2 ))
done
for side in before after; do
  [ "$(jq -s 'map(select(.samples)) | length' "$work/out-$side.jsonl")" = "$N" ] || { echo "bench: loco run ($side) did not answer all $N records" >&2; exit 1; }
done

rounds=${ROUNDS:-3}
echo "# loco run's own cost per record: $N GSM8K questions x $rounds rounds, 1 token each, $P in flight, one llama-server (--parallel $P), $(bench_machine)"
awk -v c="${ns[curl]}" -v b="${ns[before]}" -v a="${ns[after]}" -v n="$N" -v r="$rounds" -v before="$BEFORE" -v after="$(git rev-parse --short HEAD)" 'BEGIN {
  printf "curl (xargs -P):          %.2f s a round\n", c / r / 1e9
  printf "loco run, before (%s): %.2f s a round, %.2f ms a record over curl\n", before, b / r / 1e9, (b - c) / r / n / 1e6
  printf "loco run, after (%s):  %.2f s a round, %.2f ms a record over curl\n", after, a / r / 1e9, (a - c) / r / n / 1e6
  printf "after / before (time per round): %.2f\n", a / b }'
