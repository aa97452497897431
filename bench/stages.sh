#!/usr/bin/env bash
# Each non-LLM stage over the same N-record file (default 200,000) against jq doing a comparable
# transform of it, measured side by side with hyperfine. Prints ours / jq (goal <= 0.5).
#
#   bench/stages.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
RUNS=${RUNS:-3}
source bench/lib.sh
bench_need_hyperfine
bench_build

python3 - "$N" >"$work/in.jsonl" <<'PY'
import json, random, sys
rng = random.Random(1)
words = "calculate the total cost of apples if each one costs three dollars and you buy twelve summarize python".split()
for i in range(int(sys.argv[1])):
    q = " ".join(rng.choice(words) for _ in range(rng.randint(6, 30)))
    samples = [{"text": "The answer is %d." % rng.randint(1, 20), "tokens": 40, "ms": 500, "done_reason": "stop"} for _ in range(3)]
    print(json.dumps({"id": i, "query": q, "expected": str(rng.randint(1, 20)), "adapter": "math-reasoning",
                      "samples": samples, "answer": str(rng.randint(1, 20))}))
PY

echo "# stages vs jq: $N records ($(du -h "$work/in.jsonl" | cut -f1)), $(uname -m), $(nproc) cores, $(swift --version 2>&1 | head -1), $(jq --version)"
export LOCO_REGISTRY="$PWD/adapters/registry.yaml"
declare -A ours theirs
ours[route]="$BIN/loco-route --adapter math-reasoning"
theirs[route]="jq -c '. + {adapter: \"math-reasoning\", route: {router: \"forced\", scores: {}, confidence: 1}}'"
ours[prompt]="$BIN/loco-prompt"
theirs[prompt]="jq -c '. + {messages: [{role: \"system\", content: \"You are a careful math tutor.\"}, {role: \"user\", content: (.query + \"\\nRead the question again: \" + .query)}], prompt: (\"Q: \" + .query + \"\\nRead the question again: \" + .query + \"\\nA:\"), stop: [\"\\nQ:\"], strategy: [\"re2\"]}'"
ours[vote]="$BIN/loco-vote --format text"
theirs[vote]="jq -c '[.samples[].text | gsub(\"^\\\\s+|\\\\s+$\"; \"\")] as \$a | . + {answers: \$a, answer: \$a[0], votes: (reduce \$a[] as \$x ({}; .[\$x] += 1)), agreement: 1}'"
ours[score]="$BIN/loco-score --metric exact_match"
theirs[score]="jq -c '. + {score: {metric: \"exact_match\", value: (if (.answer | ascii_downcase) == (.expected | ascii_downcase) then 1 else 0 end)}}'"
for stage in route prompt vote score; do
  hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$work/$stage.json" \
    -n ours "${ours[$stage]} <$work/in.jsonl >/dev/null 2>&1" -n jq "${theirs[$stage]} <$work/in.jsonl >/dev/null" >/dev/null 2>&1
  jq -r --arg stage "loco-$stage" '.results | map({(.command): .median}) | add
    | "\($stage): \(.ours / .jq * 100 | round / 100)  (\(.ours * 100 | round / 100) s vs jq \(.jq * 100 | round / 100) s; goal <= 0.5)"' "$work/$stage.json"
done
