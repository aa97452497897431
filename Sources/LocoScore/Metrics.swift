import Foundation
import LocoVote

/// How an answer is compared with `expected`.
public enum Metric: String, CaseIterable, Sendable {
    /// Equal after normalisation: case, surrounding space and punctuation, inner runs of space.
    case exactMatch = "exact_match"
    /// Both read as numbers ("1,000" = "$1000.00" = "1000") and equal within a relative 1e-6.
    case numericMatch = "numeric_match"
    /// numeric_match when `expected` is a number, exact_match otherwise.
    case auto

    public func score(answer: String, expected: String) -> (metric: Metric, value: Double) {
        switch self {
        case .exactMatch:
            return (.exactMatch, Metric.normalizedText(answer) == Metric.normalizedText(expected) ? 1 : 0)
        case .numericMatch:
            guard let a = Metric.number(answer), let e = Metric.number(expected) else { return (.numericMatch, 0) }
            return (.numericMatch, abs(a - e) <= 1e-6 * max(1, abs(e)) ? 1 : 0)
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
