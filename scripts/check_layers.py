#!/usr/bin/env python3
"""Fails when code points the wrong way between layers, or Package.swift and the code disagree
(docs/architecture.md draws the floors). Read from Package.swift itself (swift package
dump-package) and every folder under Sources/ and Tests/, tools and tests included:

- a library imports only libraries on lower floors (shared ground may import its own floor);
  tools (executables) sit above every library;
- every module a target imports is declared in Package.swift, and every dependency declared
  there is imported by some file of the target (no unused or implicit dependency), tests included;
- each library has its tests beside its name (LocoRoute: the test target LocoRouteTests, in
  Tests/LocoRouteTests, depending on it); the helpers they share (LocoTestSupport) are for tests only.

Package.swift is read as text (its targets are plain literals), not through `swift package`,
which would wait for the lock of a build in progress (the test suite runs this during one).

Usage: scripts/check-layers.sh [PACKAGE_ROOT]   (default: the checkout)
"""
import os
import re
import sys

FLOORS = {
    "LocoKit": 0, "LocoRegistry": 0, "LocoSandbox": 0,
    "LocoEngines": 1, "LocoAnswers": 1, "LocoCLI": 1,
    "LocoRoute": 2, "LocoPrompt": 2, "LocoGen": 2, "LocoVote": 2, "LocoScore": 2, "LocoAdapters": 2, "LocoReport": 2,
    "LocoQuery": 3,
    "LocoEval": 4, "LocoChat": 4, "LocoGrade": 4,
}
TOOLS = 5
# A library of helpers the test targets share; no library or tool may use it.
TEST_SUPPORT = "LocoTestSupport"
IMPORT = re.compile(r"^\s*(?:@testable\s+)?import\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)


KINDS = {"target": "regular", "executableTarget": "executable", "testTarget": "test", "systemLibrary": "system"}


def balanced(text, start):
    """The text from the bracket at `start` to its match."""
    opening = text[start]
    closing = {"(": ")", "[": "]"}[opening]
    depth = 0
    for index in range(start, len(text)):
        if text[index] == opening:
            depth += 1
        elif text[index] == closing:
            depth -= 1
            if depth == 0:
                return text[start:index + 1]
    raise ValueError("unbalanced brackets in Package.swift")


def manifest_targets(text):
    """Each target of Package.swift: its name, kind, path, and the package targets it names."""
    targets = {}
    for match in re.finditer(r"\.(target|executableTarget|testTarget|systemLibrary)\(", text):
        call = balanced(text, match.end() - 1)
        name = re.search(r'name:\s*"([^"]+)"', call).group(1)
        path = re.search(r'path:\s*"([^"]+)"', call)
        names = []
        listed = re.search(r"dependencies:\s*\[", call)
        if listed:
            dependencies = balanced(call, listed.end() - 1)
            # Products of other packages (.product(name: …)) are not this package's targets.
            dependencies = re.sub(r"\.product\([^)]*\)", "", dependencies)
            names = re.findall(r'"([^"]+)"', dependencies) + re.findall(r'\.target\(name:\s*"([^"]+)"', dependencies)
        targets[name] = {"type": KINDS[match.group(1)], "path": path.group(1) if path else None,
                         "dependencies": [{"byName": [n, None]} for n in names]}
    return targets


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    targets = manifest_targets(open(os.path.join(root, "Package.swift"), encoding="utf-8").read())
    problems = []
    for top in ("Sources", "Tests"):
        for folder in sorted(os.listdir(os.path.join(root, top))):
            if os.path.isdir(os.path.join(root, top, folder)) and folder not in targets:
                problems.append(f"{top}/{folder} is no target of Package.swift")
    for name, target in sorted(targets.items()):
        if target["type"] == "system":
            continue
        tested = target["type"] == "test" or name == TEST_SUPPORT
        if target["type"] == "regular" and name not in FLOORS and not tested:
            problems.append(f"{name} has no floor: add it to scripts/check_layers.py and docs/architecture.md")
            continue
        own = FLOORS.get(name, TOOLS)
        declared = set()
        for dependency in target["dependencies"]:
            kind, value = next(iter(dependency.items()))
            if value[0] in targets:
                declared.add(value[0])
        imported = {}
        default = os.path.join("Tests" if target["type"] == "test" else "Sources", name)
        folder = os.path.join(root, target.get("path") or default)
        if not os.path.isdir(folder):
            problems.append(f"{os.path.relpath(folder, root)}: the folder of target {name} is missing")
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
        if tested:
            continue
        for module in sorted(declared | set(imported)):
            if module == TEST_SUPPORT:
                problems.append(f"{imported.get(module, 'Package.swift')}: {name} depends on {module}, which is for tests only")
                continue
            theirs = FLOORS.get(module)
            if theirs is None:
                continue
            if theirs > own or (theirs == own and own >= 2):
                problems.append(f"{imported.get(module, 'Package.swift')}: {name} (floor {own}) depends on {module} (floor {theirs})")
    for library in sorted(FLOORS):
        tests = targets.get(library + "Tests")
        if tests is None or tests["type"] != "test":
            problems.append(f"Package.swift: {library} has no tests beside its name (a test target {library}Tests in Tests/{library}Tests)")
        elif not any(next(iter(d.values()))[0] == library for d in tests["dependencies"]):
            problems.append(f"Package.swift: {library}Tests does not depend on {library}")
    for problem in problems:
        print(f"check-layers: {problem}", file=sys.stderr)
    if problems:
        return 1
    print("check-layers: every target depends only on the floors beneath it, Package.swift says what the code imports, and each library has its tests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
