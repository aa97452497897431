#!/usr/bin/env bash
# Fails when code points the wrong way between layers (docs/architecture.md draws them):
# a stage library imports another stage library or a composition, or shared ground imports
# anything above it. Usage: scripts/check-layers.sh [SOURCES_DIR]   (default: Sources)
set -euo pipefail
sources=${1:-"$(dirname "$0")/../Sources"}

# Each library's floor; a library may import libraries on lower floors only (its own floor too
# for shared ground, never for stages or compositions).
floor() {
  case "$1" in
    LocoKit) echo 0 ;;
    LocoEngines|LocoAnswers|LocoCLI) echo 1 ;;
    LocoRoute|LocoPrompt|LocoGen|LocoVote|LocoScore|LocoAdapters|LocoReport) echo 2 ;;
    LocoQuery|LocoChat|LocoGrade) echo 3 ;;
    LocoEval) echo 4 ;;
    *) echo "" ;;
  esac
}

status=0
for dir in "$sources"/Loco*/; do
  library=$(basename "$dir")
  own=$(floor "$library")
  if [ -z "$own" ]; then
    echo "check-layers: $library has no floor: add it to scripts/check-layers.sh and docs/architecture.md" >&2
    status=1; continue
  fi
  while IFS=: read -r file line text; do
    imported=$(sed -E 's/^[[:space:]]*(@testable[[:space:]]+)?import[[:space:]]+([A-Za-z_]+).*/\2/' <<<"$text")
    [ "$imported" = "$library" ] && continue
    theirs=$(floor "$imported")
    [ -z "$theirs" ] && continue   # a system or third-party module
    if [ "$theirs" -gt "$own" ] || { [ "$theirs" -eq "$own" ] && [ "$own" -ge 2 ]; }; then
      echo "$file:$line: $library (floor $own) imports $imported (floor $theirs)" >&2
      status=1
    fi
  done < <(grep -nE '^[[:space:]]*(@testable[[:space:]]+)?import[[:space:]]+Loco' "$dir"*.swift /dev/null || true)
done
[ "$status" -eq 0 ] && echo "check-layers: every library imports only the floors beneath it"
exit "$status"
