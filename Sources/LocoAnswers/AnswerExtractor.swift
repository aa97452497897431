import Foundation

/// Reads the final answer out of a sample, normalised so that equal answers vote together.
/// Nil means the sample states no answer of the expected kind: it does not vote.
public enum AnswerExtractor {
    public enum Format: String, CaseIterable, Sendable {
        /// Math: a stated answer ("The answer is N", "#### N", `\boxed{N}`, "Answer: N") or else
        /// the last number; "1,000", "$1000.00", "1000" and "1000 apples" are one answer, and
        /// "3/4" equals "0.75".
        case number
        /// Multiple choice: the chosen letter, or the letter of the option whose text is given.
        case choice
        /// Classification: the first of the record's `labels` the sample names.
        case label
        /// Code: the first fenced code block (or the whole text), trailing spaces removed.
        case code
        /// Free text: the trimmed text; the vote takes the medoid by ROUGE-L.
        case text
        /// Computed: the sample is a short Python program (its first fenced block, or the whole
        /// text) that loco-vote runs in the sandbox; the last line it prints is the answer
        /// (`ProgramAnswer`). Read without running, the answer is the program.
        case program
        /// A stated answer if any; else the whole text as a number if it is one; else the text.
        case auto
    }

    /// What a record says about its possible answers.
    public struct Context: Sendable {
        public var choices: [String] = []
        public var labels: [String] = []
        public init(choices: [String] = [], labels: [String] = []) {
            self.choices = choices
            self.labels = labels
        }
    }

    public static func extract(_ text: String, format: Format, context: Context = Context()) -> String? {
        switch format {
        case .number:
            let stated = statedAnswer(in: text)
            if let stated, let n = normalizedNumber(stated) ?? firstNumber(in: stated) { return n }
            return lastNumber(in: text)
        case .choice: return choice(in: text, options: context.choices)
        case .label: return label(in: text, labels: context.labels)
        case .code, .program: return codeBlock(in: text)
        case .text:
            let trimmed = tidy(text)
            return trimmed.isEmpty ? nil : trimmed
        case .auto:
            if let stated = statedAnswer(in: text) { return normalizedNumber(stated) ?? tidy(stated) }
            let trimmed = tidy(text)
            return trimmed.isEmpty ? nil : normalizedNumber(trimmed) ?? trimmed
        }
    }

    private static let statedPatterns: [NSRegularExpression] = [
        #"\\boxed\{([^{}]*)\}"#,
        #"####\s*([^\n]+)"#,
        #"(?i)the (?:final |correct )?answer is[:\s]*([^\n]+)"#,
        #"(?i)answer:\s*([^\n]+)"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    /// The text after the last answer marker, if the sample states one.
    public static func statedAnswer(in text: String) -> String? {
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

    private static let numberPattern = try! NSRegularExpression(pattern: #"-?\$?\d[\d,]*(?:\.\d+)?(?:/\d+)?%?|-?\$?\.\d+%?"#)

    static func firstNumber(in text: String) -> String? {
        for match in numberPattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            if let r = Range(match.range, in: text), let n = normalizedNumber(String(text[r])) { return n }
        }
        return nil
    }

    static func lastNumber(in text: String) -> String? {
        for match in numberPattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            if let r = Range(match.range, in: text), let n = normalizedNumber(String(text[r])) { return n }
        }
        return nil
    }

    /// "1,000", "$1000.00" and "1000" all become "1000"; "-3.50" becomes "-3.5"; "12%" becomes
    /// "12"; "3/4" becomes "0.75". Nil when the text is not a single number (a trailing unit in
    /// words is allowed: "12 apples").
    public static func normalizedNumber(_ raw: String) -> String? {
        var s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.hasSuffix(".") { s.removeLast() }
        if let space = s.firstIndex(where: { $0 == " " }) {
            let tail = s[space...].trimmingCharacters(in: .whitespaces)
            guard tail.allSatisfy({ $0.isLetter || $0 == " " }) else { return nil }
            s = String(s[..<space])
        }
        var negative = false
        if s.hasPrefix("-") || s.hasPrefix("−") { negative = true; s.removeFirst() }
        if s.hasPrefix("$") || s.hasPrefix("€") || s.hasPrefix("£") { s.removeFirst() }
        if s.hasPrefix("-") { negative.toggle(); s.removeFirst() }
        if s.hasSuffix("%") { s.removeLast() }
        var value: Decimal
        if let slash = s.firstIndex(of: "/") {
            guard let top = decimal(String(s[..<slash])), let bottom = decimal(String(s[s.index(after: slash)...])), bottom != 0 else { return nil }
            value = top / bottom
            var rounded = Decimal()
            NSDecimalRound(&rounded, &value, 12, .plain)
            value = rounded
        } else {
            guard let v = decimal(s) else { return nil }
            value = v
        }
        if negative { value = -value }
        let text = "\(value)"
        return text == "-0" ? "0" : text
    }

    /// Digits with at most one point; commas only as thousands separators.
    private static func decimal(_ raw: String) -> Decimal? {
        var s = raw
        if s.contains(",") {
            let parts = s.split(separator: ".", maxSplits: 1)
            let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
            guard groups.dropFirst().allSatisfy({ $0.count == 3 }), !(groups.first?.isEmpty ?? true) else { return nil }
            s = groups.joined() + (parts.count > 1 ? "." + parts[1] : "")
        }
        guard !s.isEmpty, s.count <= 40, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), s.filter({ $0 == "." }).count <= 1 else { return nil }
        return Decimal(string: s)
    }

    private static let letterPatterns: [NSRegularExpression] = [
        #"(?i)answer is[:\s]*\(?([A-J])\b\)?"#,
        #"(?i)answer:\s*\(?([A-J])\b\)?"#,
        #"^\s*\(?([A-J])\)?(?:[.):\s]|$)"#,
        // A lower-case letter only where it cannot be a word: alone, or with its bracket ("b)").
        #"^\s*\(?([a-j])(?:[.):]|\s*$)"#,
        #"\(([A-J])\)"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    /// How many options a choice can name: A to J.
    public static let optionLetterCount = 10

    /// The letter of option `index` (0: "A"), up to J.
    public static func optionLetter(_ index: Int) -> String {
        String(UnicodeScalar(UInt8(65 + min(index, optionLetterCount - 1))))
    }

    /// "B", "(B)", "The answer is B", or the text of option B, all give "B".
    public static func choice(in text: String, options: [String]) -> String? {
        let letters = (0..<max(options.count, 1)).map(optionLetter)
        let range = NSRange(text.startIndex..., in: text)
        for pattern in letterPatterns {
            if let match = pattern.firstMatch(in: text, range: range), let r = Range(match.range(at: 1), in: text) {
                let letter = text[r].uppercased()
                if options.isEmpty || letters.contains(letter) { return letter }
            }
        }
        let lowered = text.lowercased()
        var best: (position: String.Index, letter: String)?
        for (i, option) in options.enumerated() where !option.isEmpty {
            if let r = lowered.range(of: option.lowercased()), best == nil || r.lowerBound < best!.position {
                best = (r.lowerBound, letters[i])
            }
        }
        return best?.letter
    }

    /// The label named earliest in the text, as whole words, case-insensitive.
    public static func label(in text: String, labels: [String]) -> String? {
        let words = RougeL.tokens(text)
        var best: (position: Int, label: String)?
        for label in labels {
            let target = RougeL.tokens(label)
            guard !target.isEmpty, words.count >= target.count else { continue }
            for start in 0...(words.count - target.count) where Array(words[start..<start + target.count]) == target {
                if best == nil || start < best!.position { best = (start, label) }
                break
            }
        }
        return best?.label
    }

    private static let fence = try! NSRegularExpression(pattern: #"```[\w+-]*[ \t]*\n(.*?)```"#, options: [.dotMatchesLineSeparators])

    /// Each fenced block's code, in order (the fence's language name left out), and where the
    /// block's closing fence ends.
    public static func fencedBlocks(in text: String) -> [(code: String, end: String.Index)] {
        fence.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            guard let code = Range(match.range(at: 1), in: text), let whole = Range(match.range, in: text) else { return nil }
            return (String(text[code]), whole.upperBound)
        }
    }

    public static func codeBlock(in text: String) -> String? {
        let code = fencedBlocks(in: text).first?.code ?? text
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            var l = line
            while let last = l.last, last == " " || last == "\t" || last == "\r" { l.removeLast() }
            return l
        }
        let joined = lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
        return joined.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : joined
    }

    private static func tidy(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
