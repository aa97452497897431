#!/usr/bin/env bash
# The whole test suite, from a fresh Debian/Ubuntu machine with Swift: installs what is missing,
# prepares the embedded engine (cached in ~/.cache/locollm), starts a llama-server for the
# end-to-end tests on its own port, runs `swift test`, and stops the server again.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH

missing=()
command -v jq >/dev/null || missing+=(jq)
command -v curl >/dev/null || missing+=(curl)
command -v pkg-config >/dev/null || missing+=(pkg-config)
pkg-config --exists libcurl 2>/dev/null || missing+=(libcurl4-openssl-dev)
pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
pkg-config --exists libedit 2>/dev/null || missing+=(libedit-dev)
# The registry and config are read with the system's libyaml.
pkg-config --exists yaml-0.1 2>/dev/null || missing+=(libyaml-dev)
# The chat test drives loco chat in a real terminal.
command -v tmux >/dev/null || missing+=(tmux)
command -v python3 >/dev/null || missing+=(python3)
# The sandbox for code answers, and the hostile corpus run in it as root and as nobody.
command -v bwrap >/dev/null || missing+=(bubblewrap)
# The completion tests load `loco completions zsh|fish` into real shells.
command -v zsh >/dev/null || missing+=(zsh)
command -v fish >/dev/null || missing+=(fish)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test: installing ${missing[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The reference ROUGE implementation the ROUGE-L test compares loco-score with (pinned).
python3 -c 'import rouge_score' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check rouge-score==0.1.2 >/dev/null 2>&1 \
  || python3 -m pip install --quiet --break-system-packages rouge-score==0.1.2

# The record-contract test validates every tool's output against docs/record.schema.json with it.
python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check jsonschema==4.26.0 >/dev/null 2>&1 \
  || python3 -m pip install --quiet --break-system-packages jsonschema==4.26.0

started=$(date +%s)
paths=$(scripts/setup-engine.sh)
# The pool tests start llama-servers of their own from these.
export LOCO_TEST_LLAMA_SERVER=$(sed -n 's/^LLAMA_SERVER=//p' <<<"$paths")
export LOCO_TEST_GGUF=$(sed -n 's/^LOCO_GGUF=//p' <<<"$paths")
echo "test: engine ready after $(( $(date +%s) - started )) s" >&2

export LOCO_LLAMA_PORT=${LOCO_TEST_PORT:-8078}
export LOCO_TEST_URL="http://127.0.0.1:$LOCO_LLAMA_PORT"
# `loco engine start` starts the embedding engine beside it; for the tests it serves the packaged
# model's own mean-pooled embeddings (all-MiniLM-L6-v2 needs a 5.6 GB converter, and the tests
# check the wiring and the wire, not which model routes best).
export LOCO_EMBEDDING_GGUF=$LOCO_TEST_GGUF LOCO_EMBEDDING_PORT=${LOCO_TEST_EMBEDDING_PORT:-8098}
export LOCO_TEST_EMBEDDINGS="http://127.0.0.1:$LOCO_EMBEDDING_PORT"
trap 'bin/loco engine stop 2>/dev/null || true' EXIT
# The shared test engine loads every adapter the project ships with weights, as after `loco setup`,
# whatever this machine has installed (its own state file); the tools that install them are built first.
swift build --build-tests --explicit-target-dependency-import-check error >&2
state=$(mktemp -u)
LOCO_ADAPTERS_STATE=$state LOCO_REGISTRY=adapters/registry.yaml .build/debug/loco-adapters install --all --backend llama-server >&2
LOCO_BIN=$PWD/.build/debug LOCO_ADAPTERS_STATE=$state bin/loco engine start
rm -f "$state"

# A hung test fails the run with a message instead of running into CI's limit unseen. The build
# and the suite take about 10 minutes here; the limit leaves room for a slower machine.
limit=${LOCO_TEST_TIMEOUT:-45m}
status=0
# stdbuf: each result line as it comes, so a log cut short still shows where the run was.
timeout --kill-after=30 "$limit" stdbuf -oL -eL swift test --disable-xctest || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "test: swift test did not finish within $limit; a test hung (a 'started' line above without its 'passed')" >&2
  pkill -KILL -f "$PWD/.build/.*PackageTests" || true
fi
exit "$status"
