#!/usr/bin/env bash
# Fails when code points the wrong way between layers, or Package.swift and the imports disagree
# (docs/architecture.md draws the floors). The rules are in check_layers.py beside it.
# Usage: scripts/check-layers.sh [PACKAGE_ROOT]   (default: this checkout)
exec python3 "$(dirname "$0")/check_layers.py" "$@"
