import Foundation
import LocoVote

/// How an answer is compared with `expected`.
public enum Metric: String, CaseIterable, Sendable {
    /// Equal after normalisation: case, surrounding space and punctuation, inner runs of space.
    case exactMatch = "exact_match"
    /// Both read as numbers ("1,000" = "$1000.00" = "1000") and equal within a relative 1e-6.
    case numericMatch = "numeric_match"
    /// numeric_match when `expected` is a number, exact_match otherwise; pass@1 for a record
    /// with `tests` and no `expected`.
    case auto
    /// The answer's code, run with the record's `tests` in the sandbox: 1 when they pass.
    case passAt1 = "pass@1"
    /// Every sample's code (`answers`) run with the tests: the unbiased pass@k estimate (`--k`).
    case passAtK = "pass@k"

    public var executes: Bool { self == .passAt1 || self == .passAtK }

    public func score(answer: String, expected: String) -> (metric: Metric, value: Double) {
        switch self {
        case .exactMatch:
            return (.exactMatch, Metric.normalizedText(answer) == Metric.normalizedText(expected) ? 1 : 0)
        case .numericMatch:
            guard let a = Metric.number(answer), let e = Metric.number(expected) else { return (.numericMatch, 0) }
            return (.numericMatch, abs(a - e) <= 1e-6 * max(1, abs(e)) ? 1 : 0)
        case .passAt1, .passAtK:
            preconditionFailure("execution metrics are scored by CodeExecution")
        case .auto:
            return Metric.number(expected) != nil ? Metric.numericMatch.score(answer: answer, expected: expected)
                : Metric.exactMatch.score(answer: answer, expected: expected)
        }
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
