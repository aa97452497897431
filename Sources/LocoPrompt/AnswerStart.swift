/// How a code answer starts when the question hands over a function still to be written: with
/// the question's code itself, in the answer's fence, so that the model writes the body.
///
/// A question that ends in `def next_palindrome(n):` (a docstring under it at most) is asked as
/// HumanEval asks it, for a completion. Asked as a question instead, in RE2's layout, the model
/// copies the stub and then what followed the stub in the prompt ("Read the question again: …"),
/// and the answer has no body at all (docs/benchmarks.md).
public enum AnswerStart {
    /// The answer's start for a code question: the code the question shows (its last fenced block,
    /// or the lines of code it ends with), fenced as the adapters answer, then the body's
    /// indentation; nil when that code does not end in a function with no body yet.
    public static func code(for query: String) -> String? {
        guard let code = trailingCode(of: query), let indent = bodyIndent(of: code) else { return nil }
        return " ```python\n" + code + "\n" + indent
    }

    /// The last fenced block when nothing but white space follows it; else the lines of code the
    /// query ends with, from the first line that reads as code (an import, a comment, a decorator,
    /// a `def` or `class`, an indented line) after the last line that does not.
    static func trailingCode(of query: String) -> String? {
        let text = query.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasSuffix("```") {
            guard let last = AnswerExtractor.fencedBlocks(in: text).last, last.end == text.endIndex else { return nil }
            let code = last.code.trimmingTrailingWhitespace()
            return code.isEmpty ? nil : code
        }
        let lines = text.components(separatedBy: "\n")
        var first = lines.count
        var openQuote: String?
        while first > 0 {
            let line = lines[first - 1]
            // Inside a docstring, read from its end up, every line belongs to the code.
            if let quote = openQuote {
                if line.components(separatedBy: quote).count % 2 == 0 { openQuote = nil }
            } else if let quote = ["\"\"\"", "'''"].first(where: { line.components(separatedBy: $0).count % 2 == 0 }) {
                openQuote = quote
            } else if !(line.trimmingCharacters(in: .whitespaces).isEmpty || isStubLine(line)) {
                break
            }
            first -= 1
        }
        guard openQuote == nil else { return nil }
        let code = lines[first...].joined(separator: "\n").trimmingTrailingWhitespace()
        let start = code.drop { $0 == "\n" }
        return start.isEmpty ? nil : String(start)
    }

    static let stubStarts = ["def ", "async def ", "class ", "import ", "from ", "#", "@"]

    /// A line of a pasted stub: narrower than what the router reads as code (RequestSplit), since
    /// an assignment or a call would be code the question asks about, not a function to finish.
    static func isStubLine(_ line: String) -> Bool {
        line.hasPrefix(" ") || line.hasPrefix("\t") || stubStarts.contains { line.hasPrefix($0) }
    }

    /// The indentation of the body of the function the code ends with, when that function has
    /// none yet: after its `def` line only blank lines, comments and one docstring.
    static func bodyIndent(of code: String) -> String? {
        let lines = code.components(separatedBy: "\n")
        let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let def = trimmed.lastIndex(where: { $0.hasPrefix("def ") || $0.hasPrefix("async def ") }),
              // The signature may run over several lines; it ends at the line ending in a colon.
              let signatureEnd = trimmed[def...].firstIndex(where: { $0.hasSuffix(":") })
        else { return nil }
        let rest = trimmed[(signatureEnd + 1)...].filter { !$0.isEmpty && !$0.hasPrefix("#") }.joined(separator: "\n")
        guard rest.isEmpty || isDocstring(rest) else { return nil }
        return String(lines[def].prefix { $0 == " " || $0 == "\t" }) + "    "
    }

    static func isDocstring(_ text: String) -> Bool {
        var body = Substring(text)
        if let first = body.first, "rRuU".contains(first) { body = body.dropFirst() }
        return ["\"\"\"", "'''"].contains { quote in
            body.hasPrefix(quote) && body.hasSuffix(quote) && body.count >= 6 && body.components(separatedBy: quote).count == 3
        }
    }
}

extension StringProtocol {
    func trimmingTrailingWhitespace() -> String {
        var text = String(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}

import Foundation
import LocoAnswers
