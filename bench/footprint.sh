#!/usr/bin/env bash
# Start-up of each tool (--version) against /bin/true and jq --version, and each non-LLM stage's
# peak memory on 200,000 and 2,000,000 records: streaming means it stays flat as the file grows.
#
#   bench/footprint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_need_hyperfine
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
bench_build
export LOCO_REGISTRY="$PWD/adapters/registry.yaml"

echo "# start-up: $(uname -m), $(nproc) cores, $(swift --version 2>&1 | head -1), $(jq --version); hyperfine mean of 30 runs"
args=(-n /bin/true /bin/true -n "jq --version" "jq --version")
for t in loco-route loco-prompt loco-gen loco-vote loco-score; do args+=(-n "$t" "$BIN/$t --version"); done
hyperfine --style none -N --warmup 3 --runs 30 --export-json "$work/start.json" "${args[@]}" >/dev/null 2>&1
jq -r '(.results[] | select(.command == "/bin/true") | .mean) as $t | (.results[] | select(.command == "jq --version") | .mean) as $j
  | .results[] | "\(.command): \(.mean * 1e4 | round / 10) ms  (x\(.mean / $t * 10 | round / 10) of /bin/true, x\(.mean / $j * 100 | round / 100) of jq --version)"' "$work/start.json"

make_records() {
  python3 - "$1" <<'PY'
import json, random, sys
rng = random.Random(1)
words = "calculate the total cost of apples if each one costs three dollars summarize python".split()
for i in range(int(sys.argv[1])):
    q = " ".join(rng.choice(words) for _ in range(rng.randint(6, 30)))
    print(json.dumps({"id": i, "query": q, "expected": "5", "adapter": "math-reasoning",
                      "samples": [{"text": "The answer is %d." % rng.randint(1, 9)}] * 3, "answer": "5"}))
PY
}
echo "# peak RSS (GNU time), same records at two sizes"
for n in 200000 2000000; do
  make_records "$n" >"$work/in.jsonl"
  for t in "loco-route --adapter math-reasoning" "loco-prompt" "loco-vote" "loco-score"; do
    /usr/bin/time -f "%M" -o "$work/rss" $BIN/$t <"$work/in.jsonl" >/dev/null 2>"$work/err" || true
    printf '%s\t%d records\t%s MB peak\n' "${t%% *}" "$n" "$(( $(tail -1 "$work/rss") / 1024 ))"
  done
done
