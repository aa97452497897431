/// A query as the two things a user puts in it: the request they wrote ("Proofread:", "What does
/// this print?") and what it carries (the sentence to proofread, the snippet, the numbers). Read as
/// one text, a pasted sentence or a snippet's numbers outweigh the few words of the request and
/// decide the route; read apart, the request's words count as words and the payload counts by its
/// kind (`code`, `prose`, `numbers`) and as words of its own.
///
/// What counts as carried, in order: fenced code blocks; lines that read as code beside lines
/// that do not; a line labelled as material (`Sentence:`, `Text:`, `Review:`, `Code:`); quoted
/// text of three words or more; what follows a short lead ending in a colon ("Proofread: Their are
/// many reason to go."); the lines under a short first line. A query with none of these is all
/// request.
public struct RequestSplit: Equatable, Sendable {
    public enum Kind: String, Sendable { case code, prose, numbers }

    public var request: String
    public var payload: String
    /// Nil when the query carries nothing.
    public var kind: Kind?
    /// How the payload was found, for `--explain`.
    public var found: String?

    public init(request: String, payload: String = "", kind: Kind? = nil, found: String? = nil) {
        self.request = request.trimmingCharacters(in: .whitespacesAndNewlines)
        self.payload = payload.trimmingCharacters(in: .whitespacesAndNewlines)
        self.kind = self.payload.isEmpty ? nil : kind
        self.found = self.kind == nil ? nil : found
        if self.kind == nil { self.payload = "" }
    }

    public init(_ query: String) {
        self = RequestSplit.fenced(query)
            ?? RequestSplit.codeLines(query)
            ?? RequestSplit.labelledLines(query)
            ?? RequestSplit.quoted(query)
            ?? RequestSplit.afterColon(query)
            ?? RequestSplit.pastedBelow(query)
            ?? RequestSplit(request: query)
    }

    // MARK: - The forms

    static func fenced(_ query: String) -> RequestSplit? {
        let parts = query.components(separatedBy: "```")
        guard parts.count >= 2 else { return nil }
        var request: [String] = []
        var payload: [String] = []
        for (index, part) in parts.enumerated() {
            if index % 2 == 0 {
                request.append(part)
            } else {
                // A fence's first line may name the language.
                let lines = part.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
                let first = lines.first.map(String.init) ?? ""
                let named = lines.count == 2 && first.count <= 12 && first.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "#" }
                payload.append(named ? String(lines[1]) : part)
            }
        }
        return RequestSplit(request: request.joined(separator: " "), payload: payload.joined(separator: "\n"), kind: .code, found: "a fenced code block")
    }

    static func codeLines(_ query: String) -> RequestSplit? {
        let lines = query.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count >= 2 else { return nil }
        let code = lines.filter(isCodeLine)
        // Two lines of code at least, or one beside a single line of request.
        guard !code.isEmpty, code.count >= 2 || lines.count == 2 else { return nil }
        let request = lines.filter { !isCodeLine($0) }
        let text = code.joined(separator: "\n")
        return RequestSplit(request: request.joined(separator: "\n"), payload: text, kind: kind(of: text),
                            found: request.isEmpty ? "code only" : "lines of code")
    }

    static let materialLabels: Set<String> = ["sentence", "text", "review", "code", "passage", "paragraph", "abstract", "input", "essay", "snippet", "headline", "tweet", "comment", "excerpt"]
    static let requestLabels: Set<String> = ["question", "q", "task", "instruction", "request", "problem", "category"]

    static func labelledLines(_ query: String) -> RequestSplit? {
        var request: [Substring] = []
        var payload: [Substring] = []
        var inMaterial = false
        for line in query.split(separator: "\n", omittingEmptySubsequences: true) {
            if let colon = line.firstIndex(of: ":"), line.distance(from: line.startIndex, to: colon) <= 12 {
                let label = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                if materialLabels.contains(label) {
                    // "Text:" alone on its line labels the lines under it; "Review: …" only itself.
                    let rest = line[line.index(after: colon)...]
                    payload.append(rest)
                    inMaterial = rest.allSatisfy(\.isWhitespace)
                    continue
                }
                if requestLabels.contains(label) {
                    request.append(line[line.index(after: colon)...])
                    inMaterial = false
                    continue
                }
            }
            if inMaterial { payload.append(line) } else { request.append(line) }
        }
        guard !payload.isEmpty else { return nil }
        let text = payload.joined(separator: "\n")
        return RequestSplit(request: request.joined(separator: "\n"), payload: text, kind: kind(of: text), found: "a labelled line")
    }

    static func quoted(_ query: String) -> RequestSplit? {
        var request = ""
        var payload: [String] = []
        var rest = Substring(query)
        while let open = rest.firstIndex(where: { $0 == "\"" || $0 == "\u{201C}" }) {
            let close: Character = rest[open] == "\"" ? "\"" : "\u{201D}"
            let after = rest.index(after: open)
            guard let end = rest[after...].firstIndex(of: close) else { break }
            let inside = rest[after..<end]
            if inside.split(whereSeparator: \.isWhitespace).count >= 3 {
                request += rest[..<open]
                payload.append(String(inside))
            } else {
                request += rest[...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        guard !payload.isEmpty else { return nil }
        request += rest
        let text = payload.joined(separator: "\n")
        return RequestSplit(request: request, payload: text, kind: kind(of: text), found: "quoted text")
    }

    static func afterColon(_ query: String) -> RequestSplit? {
        var search = query.startIndex
        while let colon = query[search...].firstIndex(of: ":") {
            let after = query.index(after: colon)
            search = after
            // "10:30", "http://", "a:b" are not leads.
            guard after == query.endIndex || query[after].isWhitespace else { continue }
            let lead = query[..<colon]
            // Only a lead on the first line: a colon further down belongs to what was pasted.
            guard !lead.contains("\n") else { return nil }
            let leadWords = lead.split(whereSeparator: \.isWhitespace)
            let label = lead.trimmingCharacters(in: .whitespaces).lowercased()
            guard !leadWords.isEmpty, leadWords.count <= 14, !requestLabels.contains(label) else { continue }
            let tail = query[after...]
            guard tail.split(whereSeparator: \.isWhitespace).count >= 2 else { return nil }
            return RequestSplit(request: String(query[...colon]), payload: String(tail), kind: kind(of: tail), found: "after the colon")
        }
        return nil
    }

    static func pastedBelow(_ query: String) -> RequestSplit? {
        let lines = query.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true)
        guard lines.count == 2 else { return nil }
        let first = lines[0].split(whereSeparator: \.isWhitespace).count
        let rest = lines[1].split(whereSeparator: \.isWhitespace).count
        guard first <= 20, rest >= 2 * max(first, 4) else { return nil }
        return RequestSplit(request: String(lines[0]), payload: String(lines[1]), kind: kind(of: lines[1]), found: "the lines under the first")
    }

    // MARK: - Reading a payload

    static let codeStarts = ["def ", "class ", "import ", "from ", "for ", "while ", "if ", "elif ", "else:", "try:", "except", "return", "print(", ">>> ", "assert ", "lambda", "with ", "#include", "public ", "function ", "var ", "let ", "const "]

    static func isCodeLine<S: StringProtocol>(_ line: S) -> Bool {
        if line.hasPrefix("    ") || line.hasPrefix("\t") { return !line.allSatisfy(\.isWhitespace) }
        let trimmed = line.drop { $0 == " " }
        if codeStarts.contains(where: { trimmed.hasPrefix($0) }) { return true }
        // `name = value`, `name[i] += 1`, `f(x)` on a line of its own.
        let text = String(trimmed)
        if text.range(of: #"^[A-Za-z_][A-Za-z_0-9.\[\]]*\s*[-+*/%]?=[^=]"#, options: .regularExpression) != nil { return true }
        if text.range(of: #"^[A-Za-z_][A-Za-z_0-9.]*\(.*\)\s*;?$"#, options: .regularExpression) != nil { return true }
        return text.hasSuffix(";") || text.hasSuffix("{") || text == "}"
    }

    /// Numbers when digits and operators make up most of it; code when a line of it reads as code
    /// or it holds code's marks; prose otherwise.
    static func kind<S: StringProtocol>(of text: S) -> Kind {
        let visible = text.filter { !$0.isWhitespace }
        let numeric = visible.filter { $0.isNumber || "+-*/×÷^().,=%<>$".contains($0) }
        if !visible.isEmpty, Double(numeric.count) >= 0.6 * Double(visible.count), numeric.contains(where: \.isNumber) { return .numbers }
        if text.split(separator: "\n").contains(where: isCodeLine) { return .code }
        for mark in ["==", "!=", "+=", "()", "[]", "return ", "print(", "def ", "{", "};", "->"] where text.contains(mark) { return .code }
        return .prose
    }
}

import Foundation
