import Foundation
import LocoAnswers
import LocoKit

/// How an answer is compared with `expected`.
public enum Metric: String, CaseIterable, Sendable {
    /// Equal after normalisation: case, surrounding space and punctuation, inner runs of space.
    case exactMatch = "exact_match"
    /// Both read as numbers and equal within a relative 1e-6: "1,000" = "$1000.00" = "1000",
    /// "180 km", "eighty-four", "2.5 million"; in a sentence, the stated number, else the only
    /// one, else the last.
    case numericMatch = "numeric_match"
    /// Per record, from its fields (`Metric.chosen(for:expected:)`): pass@1, choice,
    /// classification, numeric_match, short_answer or rouge_l.
    case auto
    /// The chosen option (its letter, or its text) against `expected` (a letter or the text).
    case choice
    /// A short answer, alone or stated in a sentence, but not named among others or denied.
    case shortAnswer = "short_answer"
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
            guard let a = NumberReading.answer(in: answer), let e = NumberReading.numbers(in: expected).first else { return (.numericMatch, 0) }
            return (.numericMatch, NumberReading.equal(a, e) ? 1 : 0)
        case .shortAnswer:
            return (.shortAnswer, ShortAnswer.states(answer, expected) ? 1 : 0)
        case .choice:
            preconditionFailure("choice needs the record's choices: Metric.score(answer:expected:record:)")
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
            return Metric.chosen(for: [:], expected: [expected]).score(answer: answer, expected: expected)
        }
    }

    /// Scores against every accepted answer (`expected` may list aliases) and keeps the best;
    /// `auto` first chooses the metric from the record.
    public func score(answer: String, expected: [String], record: JSONObject) -> (metric: Metric, value: Double) {
        let metric = self == .auto ? Metric.chosen(for: record, expected: expected) : self
        var best = (metric: metric, value: 0.0)
        for candidate in expected {
            let value: Double
            switch metric {
            case .choice:
                let options = record[.choices]?.arrayValue?.compactMap(\.stringValue) ?? []
                let chosen = AnswerExtractor.choice(in: answer, options: options)
                let wanted = AnswerExtractor.choice(in: candidate, options: options) ?? candidate.uppercased()
                value = chosen != nil && chosen == wanted ? 1 : 0
            case .classification:
                let labels = record[.labels]?.arrayValue?.compactMap(\.stringValue) ?? []
                let named = labels.isEmpty ? answer : AnswerExtractor.label(in: answer, labels: labels) ?? answer
                value = Metric.normalizedText(named) == Metric.normalizedText(candidate) ? 1 : 0
            default:
                value = metric.score(answer: answer, expected: candidate).value
            }
            best.value = max(best.value, value)
        }
        return best
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

    /// Built once: a CharacterSet union per record was a third of loco-score's time.
    private static let edges = CharacterSet.whitespacesAndNewlines.union(.punctuationCharacters)

    static func normalizedText(_ s: String) -> String {
        let lowered = s.lowercased().trimmingCharacters(in: edges)
        return lowered.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
