#!/usr/bin/env bash
# `loco query` end to end against a direct curl to the same engine with the same prompt and
# token budget: N questions (default 10, GSM8K) one after another, each as `loco query` (route,
# RE2 prompt, generate, vote, print) and as one curl POST /completion of the prompt loco-prompt
# builds, greedy, same n_predict. Prints the total time of each and ours / curl (goal <= 1.05).
# Where the question routes to an adapter that answers with a program, the curl side then also
# runs the program it got in a bare bubblewrap sandbox (python3 -I -S, no harness, no limits):
# the least a user would do by hand to get the number, so that ours / (curl + run) is the
# pipeline's overhead alone.
#
#   bench/query.sh [N]       (ROUNDS=2 passes, interleaved with curl question by question)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10}
MAX_TOKENS=${MAX_TOKENS:-64}
ROUNDS=${ROUNDS:-2}
PORT=${PORT:-8194}
source bench/lib.sh
bench_build
export LOCO_REGISTRY="$PWD/adapters/registry.yaml" LOCO_BIN="$BIN"
# The engine loads the installed adapters, as `loco engine start` does, so that a question routed
# to one runs its LoRA on both sides; on a machine where none is installed yet, every adapter the
# checkout ships (the router sends questions to them whether installed or not).
lora=()
while read -r path; do [ -n "$path" ] && lora+=(--lora "$path"); done < <("$BIN/loco-adapters" paths)
if [ ${#lora[@]} -eq 0 ]; then
  for path in "$PWD"/adapters/*/adapter.gguf; do lora+=(--lora "$path"); done
fi
[ ${#lora[@]} -gt 0 ] && lora+=(--lora-init-without-apply)
bench_engine "$PORT" --parallel 1 --threads "$(nproc)" --ctx-size 4096 "${lora[@]+"${lora[@]}"}"
export LOCO_BACKEND=llama-server LOCO_URL="http://127.0.0.1:$PORT" LOCO_MAX_TOKENS=$MAX_TOKENS LOCO_NO_LOG=1
# `loco query` itself is run as a user runs it, no engine named: it finds this server as it finds
# its own (`loco engine start`'s pid file, read from a cache folder of the bench's).
mkdir -p "$work/cache"
echo "${bench_pids[${#bench_pids[@]}-1]}" >"$work/cache/llama-server-$PORT.pid"
as_user=(env -u LOCO_BACKEND -u LOCO_URL LOCO_CACHE="$work/cache" LOCO_LLAMA_PORT="$PORT")
curl -sf "$LOCO_URL/lora-adapters" >"$work/loras.json"

sed -n "1,${N}p" bench/data/gsm8k-50.jsonl | jq -r .query >"$work/questions.txt"
# The exact /completion bodies loco-gen sends for these questions (routed as loco query routes),
# and whether each question's adapter answers with a program.
programs=$(awk '/^  [a-z0-9-]+:$/ {name = substr($1, 1, length($1) - 1)} /^    answer_format: program/ {print name}' adapters/registry.yaml | paste -sd, -)
jq -Rc '{query: .}' "$work/questions.txt" | "$BIN/loco-route" | "$BIN/loco-prompt" | tee "$work/routed.jsonl" \
  | jq -c --argjson n "$MAX_TOKENS" --slurpfile loras "$work/loras.json" '
      .adapter as $a
      | {prompt, temperature: 0, n_predict: $n, cache_prompt: true, stop}
      + (if ($loras[0] | length) > 0
         then {lora: [$loras[0][] | {id, scale: (if $a != null and (.path | test("/\($a)/[^/]+$")) then 1 else 0 end)}]}
         else {} end)' >"$work/bodies.jsonl"
jq -r --arg programs "$programs" 'if (.adapter // "") as $a | $programs | split(",") | index($a) then "program" else "text" end' \
  "$work/routed.jsonl" >"$work/answers.txt"
bare=(bwrap --unshare-all --die-with-parent --new-session --ro-bind /usr /usr --proc /proc --dev /dev --tmpfs /tmp)
for top in bin lib lib64 sbin; do
  if [ -L "/$top" ]; then bare+=(--symlink "$(readlink "/$top")" "/$top"); elif [ -d "/$top" ]; then bare+=(--ro-bind "/$top" "/$top"); fi
done
# The program in a completion, as loco-vote reads it: its first fenced block, else the whole text.
program_of() { jq -r '.content | (capture("```[A-Za-z0-9]*\n(?<code>[\\s\\S]*?)(```|$)").code // .)' "$1"; }

"${as_user[@]}" bin/loco engine status | grep -q "loco's own" \
  || { echo "bench: loco does not find the bench's engine as its own" >&2; exit 1; }
# Warm-up: each prompt once, so both sides meet the same prompt cache.
while read -r body; do curl -sf -H 'Content-Type: application/json' -d "$body" "$LOCO_URL/completion" >/dev/null; done <"$work/bodies.jsonl"

# Interleaved, question by question (curl, then loco query), so drift in the machine's speed
# falls on both sides alike; ROUNDS passes over the questions.
curl_ns=0 run_ns=0 ours_ns=0 runs=0
for _ in $(seq 1 "$ROUNDS"); do
  while IFS=$'\t' read -r question body answer; do
    start=$(date +%s%N)
    curl -sf -H 'Content-Type: application/json' -d "$body" "$LOCO_URL/completion" >"$work/completion.json"
    got=$(date +%s%N)
    if [ "$answer" = program ]; then
      "${bare[@]}" /usr/bin/python3 -I -S -c "$(program_of "$work/completion.json")" >/dev/null 2>&1 || true
      runs=$(( runs + 1 ))
    fi
    mid=$(date +%s%N)
    "${as_user[@]}" bin/loco query "$question" >/dev/null
    end=$(date +%s%N)
    curl_ns=$(( curl_ns + got - start )) run_ns=$(( run_ns + mid - got )) ours_ns=$(( ours_ns + end - mid ))
  done < <(paste "$work/questions.txt" "$work/bodies.jsonl" "$work/answers.txt")
done
curl_s=$(bench_seconds 0 "$curl_ns")
peer_s=$(bench_seconds 0 "$(( curl_ns + run_ns ))")
ours_s=$(bench_seconds 0 "$ours_ns")
N=$(( N * ROUNDS ))

echo "# query: $N GSM8K questions one after another, max $MAX_TOKENS tokens, greedy, one llama-server, $(bench_machine)"
jq -rn --argjson c "$curl_s" --argjson p "$peer_s" --argjson o "$ours_s" --argjson n "$N" --argjson r "$runs" '
  "curl /completion: \($c) s (\($c / $n * 1000 | round) ms per question)",
  "curl + run:       \($p) s (\($r) of the \($n) answers are programs, each also run in a bare bwrap)",
  "loco query:       \($o) s (\($o / $n * 1000 | round) ms per question)",
  "loco query / curl: \($o / $c * 100 | round / 100)  (goal <= 1.05)",
  "loco query / (curl + run): \($o / $p * 100 | round / 100)  (the pipeline alone; goal <= 1.05)"'
