#!/usr/bin/env bash
# The long fuzz and fault campaign behind docs/reliability.md. Prints one line of figures per
# stage and per fault: lines in, lines out, crashes, hangs.
#
#   scripts/reliability.sh                 # 1,000,000 fuzz lines per stage, 200 records per fault
#   LINES=100000 RECORDS=50 scripts/reliability.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-1000000}
RECORDS=${RECORDS:-200}
SEED=${SEED:-$(date +%Y%m%d)}
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
swift build -c release >/dev/null
BIN=$(swift build -c release --show-bin-path)

echo "# fuzz: $LINES lines per stage, seed $SEED, $(uname -m), $(swift --version 2>&1 | head -1)"
for stage in loco-route loco-prompt loco-gen loco-vote loco-score; do
  python3 scripts/fuzz.py --stage "$stage" --lines "$LINES" --seed "$SEED" --bin "$BIN" --timeout 1800 \
    | jq -r '"\(.stage)\tlines in \(.lines_in)\tout \(.lines_out)\tgood \(.good)\terror records \(.error_records)\tpassed through \(.passed_through)\tcrashes \(.crashes)\thangs \(.hangs)\tviolations \(.contract_violations)\t\(.seconds) s"' \
    || echo "$stage FAILED"
done

echo "# faults: $RECORDS records per fault against the test double (Tests/EndToEndTests/Fixtures/fake_ollama.py)"
log=$(mktemp)
coproc FAKE { exec python3 Tests/EndToEndTests/Fixtures/fake_ollama.py "$log"; }
read -r port <&"${FAKE[0]}"
trap 'kill "$FAKE_PID" 2>/dev/null; rm -f "$log"' EXIT
url="http://127.0.0.1:$port"
for fault in ok-model busy-then-ok server-error midstream-error cut-stream trickle hang missing-model; do
  n=$RECORDS
  extra=(--timeout 5 --retries 2)
  case "$fault" in
    hang) n=$(( RECORDS < 10 ? RECORDS : 10 )); extra=(--timeout 1) ;;
    trickle) n=$(( RECORDS < 20 ? RECORDS : 20 )) ;;
  esac
  input=$(mktemp) output=$(mktemp)
  for i in $(seq 1 "$n"); do printf '{"id":%d,"prompt":"p"}\n' "$i"; done >"$input"
  started=$(date +%s.%N)
  status=0
  timeout 600 "$BIN/loco-gen" --url "$url" --model "$fault" "${extra[@]}" <"$input" >"$output" 2>/dev/null || status=$?
  seconds=$(echo "$(date +%s.%N) - $started" | bc)
  results=$(jq -c 'select(.error == null)' "$output" | wc -l)
  errors=$(jq -c 'select(.error != null)' "$output" | wc -l)
  crash=$(( status != 0 && status != 1 && status != 124 ? 1 : 0 ))
  hang=$(( status == 124 ? 1 : 0 ))
  printf '%s\tlines in %d\tout %d\tresults %d\terror records %d\tcrashes %d\thangs %d\t%.1f s\n' \
    "$fault" "$n" "$(wc -l <"$output")" "$results" "$errors" "$crash" "$hang" "$seconds"
  rm -f "$input" "$output"
done
