import Foundation
import LocoAnswers

/// How an answer is compared with `expected`.
public enum Metric: String, CaseIterable, Sendable {
    /// Equal after normalisation: case, surrounding space and punctuation, inner runs of space.
    case exactMatch = "exact_match"
    /// Both read as numbers ("1,000" = "$1000.00" = "1000") and equal within a relative 1e-6.
    case numericMatch = "numeric_match"
    /// numeric_match when `expected` is a number, exact_match otherwise; pass@1 for a record
    /// with `tests` and no `expected`.
    case auto
    /// ROUGE-L F1 of the answer against `expected` (Google's tokenizer, no stemming).
    case rougeL = "rouge_l"
    /// SQuAD's token F1: lower-cased, punctuation and articles (a, an, the) removed, bag of words.
    case tokenF1 = "token_f1"
    /// A label: exact match per record; the summary adds accuracy and macro-F1 over the labels.
    case classification
    /// The answer's code, run with the record's `tests` in the sandbox: 1 when they pass.
    case passAt1 = "pass@1"
    /// Every sample's code (`answers`) run with the tests: the unbiased pass@k estimate (`--k`).
    case passAtK = "pass@k"
    /// An engine grades the answer against a rubric, several times (`Judge`).
    case judge

    public var executes: Bool { self == .passAt1 || self == .passAtK }

    public func score(answer: String, expected: String) -> (metric: Metric, value: Double) {
        switch self {
        case .exactMatch:
            return (.exactMatch, Metric.normalizedText(answer) == Metric.normalizedText(expected) ? 1 : 0)
        case .numericMatch:
            guard let a = Metric.number(answer), let e = Metric.number(expected) else { return (.numericMatch, 0) }
            return (.numericMatch, abs(a - e) <= 1e-6 * max(1, abs(e)) ? 1 : 0)
        case .rougeL:
            return (.rougeL, RougeL.f1(expected, answer))
        case .tokenF1:
            return (.tokenF1, Metric.tokenF1(answer: answer, expected: expected))
        case .classification:
            return (.classification, Metric.normalizedText(answer) == Metric.normalizedText(expected) ? 1 : 0)
        case .passAt1, .passAtK:
            preconditionFailure("execution metrics are scored by CodeExecution")
        case .judge:
            preconditionFailure("the judge metric is scored by Judge")
        case .auto:
            return Metric.number(expected) != nil ? Metric.numericMatch.score(answer: answer, expected: expected)
                : Metric.exactMatch.score(answer: answer, expected: expected)
        }
    }

    static let asciiPunctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)

    /// SQuAD v1.1's `normalize_answer` then F1 over the multiset of tokens.
    static func tokenF1(answer: String, expected: String) -> Double {
        func normalized(_ text: String) -> [String] {
            let lowered = text.lowercased()
            // Python's string.punctuation: ASCII only, removed without a space, as SQuAD does.
            let noPunctuation = String(String.UnicodeScalarView(lowered.unicodeScalars.filter { !Metric.asciiPunctuation.contains($0) }))
            return noPunctuation.split(whereSeparator: \.isWhitespace).map(String.init).filter { !["a", "an", "the"].contains($0) }
        }
        let a = normalized(answer), e = normalized(expected)
        if a.isEmpty || e.isEmpty { return a == e ? 1 : 0 }
        var counts: [String: Int] = [:]
        for token in e { counts[token, default: 0] += 1 }
        var common = 0
        for token in a where (counts[token] ?? 0) > 0 {
            counts[token]! -= 1
            common += 1
        }
        guard common > 0 else { return 0 }
        let precision = Double(common) / Double(a.count), recall = Double(common) / Double(e.count)
        return 2 * precision * recall / (precision + recall)
    }

    static func number(_ s: String) -> Double? {
        AnswerExtractor.normalizedNumber(s).flatMap(Double.init)
    }

    /// Built once: a CharacterSet union per record was a third of loco-score's time.
    private static let edges = CharacterSet.whitespacesAndNewlines.union(.punctuationCharacters)

    static func normalizedText(_ s: String) -> String {
        let lowered = s.lowercased().trimmingCharacters(in: edges)
        return lowered.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
