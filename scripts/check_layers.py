#!/usr/bin/env python3
"""Fails when code points the wrong way between layers, or Package.swift and the code disagree
(docs/architecture.md draws the floors). Read from Package.swift itself (swift package
dump-package) and every folder under Sources/, tools included:

- a library imports only libraries on lower floors (shared ground may import its own floor);
  tools (executables) sit above every library;
- every module a target imports is declared in Package.swift, and every dependency declared
  there is imported by some file of the target (no unused or implicit dependency).

Usage: scripts/check-layers.sh [PACKAGE_ROOT]   (default: the checkout)
"""
import json
import os
import re
import subprocess
import sys

FLOORS = {
    "LocoKit": 0,
    "LocoEngines": 1, "LocoAnswers": 1, "LocoCLI": 1,
    "LocoRoute": 2, "LocoPrompt": 2, "LocoGen": 2, "LocoVote": 2, "LocoScore": 2, "LocoAdapters": 2, "LocoReport": 2,
    "LocoQuery": 3, "LocoChat": 3, "LocoGrade": 3,
    "LocoEval": 4,
}
TOOLS = 5
IMPORT = re.compile(r"^\s*(?:@testable\s+)?import\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True,
                                        capture_output=True, text=True).stdout)
    targets = {t["name"]: t for t in package["targets"]}
    problems = []
    sources = os.path.join(root, "Sources")
    for folder in sorted(os.listdir(sources)):
        if os.path.isdir(os.path.join(sources, folder)) and folder not in targets:
            problems.append(f"Sources/{folder} is no target of Package.swift")
    for name, target in sorted(targets.items()):
        if target["type"] not in ("regular", "executable"):
            continue
        if target["type"] == "regular" and name not in FLOORS:
            problems.append(f"{name} has no floor: add it to scripts/check_layers.py and docs/architecture.md")
            continue
        own = FLOORS.get(name, TOOLS)
        declared = set()
        for dependency in target["dependencies"]:
            kind, value = next(iter(dependency.items()))
            if kind in ("byName", "target") and value[0] in targets:
                declared.add(value[0])
        imported = {}
        folder = os.path.join(sources, target.get("path") or name)
        for directory, _, files in os.walk(folder):
            for file in sorted(files):
                if not file.endswith(".swift"):
                    continue
                path = os.path.join(directory, file)
                text = open(path, encoding="utf-8").read()
                for match in IMPORT.finditer(text):
                    module = match.group(1)
                    if module in targets and module != name:
                        line = text.count("\n", 0, match.start()) + 1
                        imported.setdefault(module, f"{os.path.relpath(path, root)}:{line}")
        for module, where in sorted(imported.items()):
            if module not in declared:
                problems.append(f"{where}: {name} imports {module}, which Package.swift does not declare for it")
        for module in sorted(declared - set(imported)):
            problems.append(f"Package.swift: {name} declares {module}, which none of its files imports")
        for module in sorted(declared | set(imported)):
            theirs = FLOORS.get(module)
            if theirs is None:
                continue
            if theirs > own or (theirs == own and own >= 2):
                problems.append(f"{imported.get(module, 'Package.swift')}: {name} (floor {own}) depends on {module} (floor {theirs})")
    for problem in problems:
        print(f"check-layers: {problem}", file=sys.stderr)
    if problems:
        return 1
    print("check-layers: every target depends only on the floors beneath it, and Package.swift says what the code imports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
