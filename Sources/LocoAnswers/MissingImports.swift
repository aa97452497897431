import Foundation

/// The imports a code answer uses and does not write. A small model asked for one function
/// writes `def f(xs: List[int])` or `math.sqrt(n)` and leaves out the line that makes the name
/// exist; the function then fails as it loads, wherever a user runs it. What is added is only
/// what the name can mean: an import the question itself shows (HumanEval's `from typing import
/// List` above the stub), a name from `typing`, or a standard module called as `module.name`.
/// Strings and comments are not read, so a docstring that says "a List of" imports nothing.
public enum MissingImports {
    /// The names `typing` gives that answers use as annotations.
    public static let typingNames: Set<String> = [
        "Any", "Callable", "Dict", "FrozenSet", "Generator", "Iterable", "Iterator", "List", "Mapping",
        "Optional", "Sequence", "Set", "Tuple", "Union",
    ]
    /// Standard modules an answer calls without importing: each added only where used as `module.name`.
    public static let standardModules: Set<String> = [
        "bisect", "collections", "datetime", "decimal", "fractions", "functools", "heapq", "itertools",
        "json", "math", "operator", "random", "re", "statistics", "string",
    ]

    /// `code` with the import lines it lacks put first (after any `from __future__` line), and
    /// those lines; the code unchanged and no lines when it lacks none.
    public static func completing(_ code: String, question: String) -> (code: String, added: [String]) {
        let bare = withoutStringsAndComments(code)
        let used = identifiers(in: bare, attributeAccess: false)
        let calledAsModule = identifiers(in: bare, attributeAccess: true)
        var bound = boundNames(in: bare)
        var added: [String] = []

        for line in importLines(in: question) {
            let names = namesBound(byImport: line)
            if names.contains(where: { used.contains($0) && !bound.contains($0) }) {
                added.append(line)
                bound.formUnion(names)
            }
        }
        let fromTyping = typingNames.filter { used.contains($0) && !bound.contains($0) }.sorted()
        if !fromTyping.isEmpty { added.append("from typing import \(fromTyping.joined(separator: ", "))") }
        for module in standardModules.sorted() where calledAsModule.contains(module) && !bound.contains(module) {
            added.append("import \(module)")
        }
        guard !added.isEmpty else { return (code, []) }

        var lines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let future = lines.lastIndex { $0.hasPrefix("from __future__ import") }.map { $0 + 1 } ?? 0
        lines.insert(contentsOf: added, at: future)
        return (lines.joined(separator: "\n"), added)
    }

    /// The question's own import statements, one per line, as written.
    static func importLines(in question: String) -> [String] {
        question.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter(isImport)
    }

    private static let importStatement = try! NSRegularExpression(pattern:
        #"^(import\s+[\w.]+(\s+as\s+\w+)?(\s*,\s*[\w.]+(\s+as\s+\w+)?)*|from\s+[\w.]+\s+import\s+\(?\s*\w+(\s+as\s+\w+)?(\s*,\s*\w+(\s+as\s+\w+)?)*\s*\)?)\s*$"#)

    static func isImport(_ line: String) -> Bool {
        importStatement.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
    }

    /// The first capture of each match of `pattern` in `text`.
    private static func captures(of pattern: NSRegularExpression, in text: String) -> [Substring] {
        pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { text[$0] }
        }
    }

    /// What an import statement binds: `import a.b` binds `a`, `import a as b` and `from m import a as b` bind `b`.
    static func namesBound(byImport line: String) -> Set<String> {
        let listed: Substring
        if line.hasPrefix("from "), let range = line.range(of: " import ") {
            listed = line[range.upperBound...]
        } else {
            listed = line.dropFirst("import".count)
        }
        let parts = listed.filter { $0 != "(" && $0 != ")" }.split(separator: ",")
        return Set(parts.compactMap { part -> String? in
            let words = part.split(whereSeparator: \.isWhitespace)
            guard let first = words.first else { return nil }
            if words.count == 3, words[1] == "as" { return String(words[2]) }
            return String(first.split(separator: ".").first ?? first)
        })
    }

    /// Names the code gives a meaning itself: imported, defined, assigned, a parameter or a loop variable.
    static func boundNames(in code: String) -> Set<String> {
        var bound: Set<String> = []
        for line in code.split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if isImport(text) { bound.formUnion(namesBound(byImport: text)) }
        }
        for pattern in [definition, assignment, loopVariable] {
            bound.formUnion(captures(of: pattern, in: code).map(String.init))
        }
        for list in captures(of: parameters, in: code) {
            for parameter in list.split(separator: ",") {
                let name = parameter.split(whereSeparator: { ":=*".contains($0) || $0.isWhitespace }).first
                if let name { bound.insert(String(name)) }
            }
        }
        return bound
    }

    private static let definition = try! NSRegularExpression(pattern: #"\b(?:def|class)\s+(\w+)"#)
    private static let assignment = try! NSRegularExpression(pattern: #"(?m)^\s*(\w+)\s*(?::[^=\n]*)?=(?!=)"#)
    private static let loopVariable = try! NSRegularExpression(pattern: #"\b(?:for|as)\s+(\w+)\b"#)
    private static let parameters = try! NSRegularExpression(pattern: #"\bdef\s+\w+\s*\(([^)]*)\)"#)
    private static let bareName = try! NSRegularExpression(pattern: #"(?<![\w.])([A-Za-z_]\w*)"#)
    private static let calledName = try! NSRegularExpression(pattern: #"(?<![\w.])([A-Za-z_]\w*)\s*\.\s*[A-Za-z_]"#)

    /// Identifiers used outside strings and comments: bare names, or (`attributeAccess`) names
    /// followed by `.name`. Never a name that follows a dot itself.
    static func identifiers(in code: String, attributeAccess: Bool) -> Set<String> {
        Set(captures(of: attributeAccess ? calledName : bareName, in: code).map(String.init))
    }

    /// The code with every string literal's contents and every comment blanked, lines kept.
    static func withoutStringsAndComments(_ code: String) -> String {
        var out = ""
        var chars = Array(code)[...]
        while let c = chars.first {
            if c == "#" {
                while let next = chars.first, next != "\n" { chars.removeFirst() }
                continue
            }
            if c == "\"" || c == "'" {
                let triple = chars.prefix(3).allSatisfy { $0 == c } && chars.count >= 3
                let quote = triple ? String(repeating: String(c), count: 3) : String(c)
                chars.removeFirst(quote.count)
                out += "\"\""
                while !chars.isEmpty {
                    if chars.first == "\\" { chars.removeFirst(min(2, chars.count)); continue }
                    if chars.starts(with: quote) { chars.removeFirst(quote.count); break }
                    if !triple && chars.first == "\n" { break }
                    if chars.first == "\n" { out += "\n" }
                    chars.removeFirst()
                }
                continue
            }
            out.append(c)
            chars.removeFirst()
        }
        return out
    }
}
