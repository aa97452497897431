import Foundation

/// The options a question lays out in lines of its own, lettered from A ("…⏎ A. wasp⏎ B. bee",
/// "(A) wasp", "a) wasp"): a multiple-choice question typed or pasted as users write one, with no
/// `choices` field beside it.
public struct ShownOptions: Equatable, Sendable {
    /// The texts of the last run of two or more lines lettered A, B, C… in order; none if no run.
    public var options: [String]
    /// The question without those lines.
    public var stem: String

    public init(in query: String) {
        let lines = query.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var best: Range<Int>?
        var runStart: Int?
        var lowercase = false
        func close(at end: Int) {
            if let start = runStart, end - start >= 2 { best = start..<end }
            runStart = nil
        }
        for (i, line) in lines.enumerated() {
            guard let letter = ShownOptions.lettered(line)?.letter else { close(at: i); continue }
            let isLower = letter.properties.isLowercase
            let index = Int(letter.value) - Int((isLower ? "a" : "A" as Unicode.Scalar).value)
            if let start = runStart, index == i - start, isLower == lowercase { continue }
            close(at: i)
            if index == 0 { runStart = i }
            lowercase = isLower
        }
        close(at: lines.count)
        guard let best else {
            options = []
            stem = query
            return
        }
        options = lines[best].compactMap { ShownOptions.lettered($0)?.text }
        stem = (lines[..<best.lowerBound] + lines[best.upperBound...]).joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static func options(in query: String) -> [String] { ShownOptions(in: query).options }

    /// "A. text", "A) text", "(A) text", "A: text" (a lower-case letter only with "." or ")"),
    /// letters A to J: the letter and the option's text.
    static func lettered(_ line: Substring) -> (letter: Unicode.Scalar, text: String)? {
        var scalars = Substring.UnicodeScalarView(line.unicodeScalars.drop { $0 == " " || $0 == "\t" })
        let bracketed = scalars.first == "("
        if bracketed { scalars.removeFirst() }
        guard let letter = scalars.first, ("A"..."J").contains(letter) || ("a"..."j").contains(letter) else { return nil }
        scalars.removeFirst()
        guard let mark = scalars.first else { return nil }
        if bracketed {
            guard mark == ")" else { return nil }
        } else {
            let marks: Set<Unicode.Scalar> = letter.properties.isLowercase ? [".", ")"] : [".", ")", ":"]
            guard marks.contains(mark) else { return nil }
        }
        scalars.removeFirst()
        guard scalars.first == " " || scalars.first == "\t" else { return nil }
        let text = String(String.UnicodeScalarView(scalars)).trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : (letter, text)
    }
}
