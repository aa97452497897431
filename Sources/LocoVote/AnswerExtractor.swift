import Foundation

/// Reads the final answer out of a sample's text, normalised so that equal answers vote together.
public enum AnswerExtractor {
    public enum Format: String, CaseIterable, Sendable {
        /// The stated answer ("The answer is N", "#### N", `\boxed{N}`) or else the last number.
        case number
        /// The trimmed text (a stated answer if there is one).
        case text
        /// A stated answer if any; else the whole text if it is a number; else the trimmed text.
        case auto
    }

    public static func extract(_ text: String, format: Format) -> String {
        let stated = statedAnswer(in: text)
        switch format {
        case .number:
            if let stated, let n = normalizedNumber(stated) ?? firstNumber(in: stated) { return n }
            if let last = lastNumber(in: text) { return last }
            return stated.map(tidy) ?? tidy(text)
        case .text:
            return tidy(stated ?? text)
        case .auto:
            if let stated { return normalizedNumber(stated) ?? tidy(stated) }
            return normalizedNumber(text) ?? tidy(text)
        }
    }

    private static let statedPatterns: [NSRegularExpression] = [
        #"\\boxed\{([^{}]*)\}"#,
        #"####\s*([^\n]+)"#,
        #"(?i)the (?:final )?answer is[:\s]*([^\n]+)"#,
        #"(?i)answer:\s*([^\n]+)"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    /// The text after the last answer marker, if the sample states one.
    static func statedAnswer(in text: String) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        for pattern in statedPatterns {
            if let match = pattern.matches(in: text, range: range).last, let r = Range(match.range(at: 1), in: text) {
                var answer = String(text[r]).trimmingCharacters(in: .whitespaces)
                if answer.hasSuffix(".") { answer.removeLast() }
                if !answer.isEmpty { return answer }
            }
        }
        return nil
    }

    private static let numberPattern = try! NSRegularExpression(pattern: #"-?\$?\d[\d,]*(?:\.\d+)?%?|-?\$?\.\d+%?"#)

    static func firstNumber(in text: String) -> String? {
        for match in numberPattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            if let r = Range(match.range, in: text), let n = normalizedNumber(String(text[r])) { return n }
        }
        return nil
    }

    static func lastNumber(in text: String) -> String? {
        let matches = numberPattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        for match in matches.reversed() {
            if let r = Range(match.range, in: text), let n = normalizedNumber(String(text[r])) { return n }
        }
        return nil
    }

    /// "1,000", "$1000.00" and "1000" all become "1000"; "-3.50" becomes "-3.5"; "12%" becomes "12".
    /// Nil when the text is not a single number (trailing words of unit are allowed: "12 apples").
    public static func normalizedNumber(_ raw: String) -> String? {
        var s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.hasSuffix(".") { s.removeLast() }
        // Keep only the leading numeric token; a unit after it ("12 apples", "5 km") is not part of the value.
        if let space = s.firstIndex(where: { $0 == " " }) {
            let head = String(s[..<space])
            let tail = s[space...].trimmingCharacters(in: .whitespaces)
            guard tail.allSatisfy({ $0.isLetter || $0 == " " }) else { return nil }
            s = head
        }
        var negative = false
        if s.hasPrefix("-") || s.hasPrefix("−") { negative = true; s.removeFirst() }
        if s.hasPrefix("$") || s.hasPrefix("€") || s.hasPrefix("£") { s.removeFirst() }
        if s.hasPrefix("-") { negative.toggle(); s.removeFirst() }
        if s.hasSuffix("%") { s.removeLast() }
        // Thousands separators: only commas between digit groups of three.
        if s.contains(",") {
            let parts = s.split(separator: ".", maxSplits: 1)
            let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
            guard groups.dropFirst().allSatisfy({ $0.count == 3 }), !(groups.first?.isEmpty ?? true) else { return nil }
            s = groups.joined() + (parts.count > 1 ? "." + parts[1] : "")
        }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), s.filter({ $0 == "." }).count <= 1,
              let value = Decimal(string: s) else { return nil }
        var result = value
        if negative { result = -result }
        var text = "\(result)"
        if text == "-0" { text = "0" }
        return text
    }

    private static func tidy(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
