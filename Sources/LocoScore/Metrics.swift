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
    /// The same day, however each is written ("July 20, 1969" = "20/07/1969" = "1969-07-20").
    case date
    /// ROUGE-L F1 of the answer against `expected` (Google's tokenizer, no stemming).
    case rougeL = "rouge_l"
    /// SQuAD's token F1: lower-cased, punctuation and articles (a, an, the) removed, bag of words.
    case tokenF1 = "token_f1"
    /// A correction of the record's `original` against every human correction in `expected`:
    /// GLEU (`Gleu`), JFLEG's metric, the mean over the corrections.
    case gleu
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
        case .shortAnswer, .date:
            return (self, Metric.markOne(answer: answer, expected: expected, metric: self, record: [:], typos: false).value)
        case .choice:
            preconditionFailure("choice needs the record's choices: Metric.score(answer:expected:record:)")
        case .rougeL:
            return (.rougeL, RougeL.f1(expected, answer))
        case .tokenF1:
            return (.tokenF1, Metric.tokenF1(answer: answer, expected: expected))
        case .gleu:
            // Without the original, nothing was corrected: plain n-gram overlap with the correction.
            return (.gleu, Gleu.score(answer: answer, original: "", corrections: [expected]))
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
        let mark = mark(answer: answer, expected: expected, record: record)
        return (mark.metric, mark.value)
    }

    /// What a marking read and why it scored so, for a teacher to read back.
    public struct Mark: Equatable, Sendable {
        public var metric: Metric
        public var value: Double
        /// What was read from the answer: the number, the choice, the date, the label, the text.
        public var read: String?
        public var why: String
    }

    /// The metrics whose answer is one thing (a number, a choice, a word): where two are given,
    /// it is a hedge.
    static let singleAnswer: Set<Metric> = [.numericMatch, .choice, .shortAnswer, .exactMatch, .classification, .date]

    /// As `score`, with what was read and why. `typos` lets a one-word answer be misspelt a
    /// little (`Typos`).
    public func mark(answer: String, expected: [String], record: JSONObject, typos: Bool = false) -> Mark {
        let metric = self == .auto ? Metric.chosen(for: record, expected: expected) : self
        if metric == .gleu { return Metric.markCorrection(answer: answer, corrections: expected, record: record) }
        if Metric.singleAnswer.contains(metric),
           let readings = Marking.hedge(answer, reading: { Metric.reading(of: $0, metric: metric, record: record, expected: expected, typos: typos) }) {
            return Mark(metric: metric, value: 0, read: readings.joined(separator: " / "),
                        why: "more than one answer given (\(readings.joined(separator: ", "))): a hedge scores 0")
        }
        var best: Mark?
        for candidate in expected {
            let mark = Metric.markOne(answer: answer, expected: candidate, metric: metric, record: record, typos: typos)
            if best == nil || mark.value > best!.value { best = mark }
        }
        return best ?? Mark(metric: metric, value: 0, read: nil, why: "no expected answer")
    }

    /// One candidate line's reading under `metric`, to tell a hedge from a repeated answer.
    static func reading(of text: String, metric: Metric, record: JSONObject, expected: [String], typos: Bool) -> String? {
        switch metric {
        case .numericMatch:
            return NumberReading.answer(in: text).map { JSONNumber($0).description }
        case .choice:
            return AnswerExtractor.choice(in: text, options: record[.choices]?.arrayValue?.compactMap(\.stringValue) ?? [])
        case .date:
            return DateReading.dates(in: text)?.days.first?.description
        default:
            if expected.contains(where: Marking.isTruth) { return Marking.truth(text, typos: typos).map { $0 ? "true" : "false" } }
            let normalized = Metric.normalizedText(text)
            return normalized.isEmpty ? nil : normalized
        }
    }

    static func markOne(answer: String, expected: String, metric: Metric, record: JSONObject, typos: Bool) -> Mark {
        func mark(_ right: Bool, read: String?, _ why: String) -> Mark { Mark(metric: metric, value: right ? 1 : 0, read: read, why: why) }
        switch metric {
        case .exactMatch:
            let a = Metric.normalizedText(answer), e = Metric.normalizedText(expected)
            return mark(a == e, read: a, a == e ? "the expected text" : "not the text '\(expected)' (exact match)")
        case .numericMatch:
            guard let a = NumberReading.answer(in: answer) else { return mark(false, read: nil, "no number in the answer") }
            guard let e = NumberReading.numbers(in: expected).first else { return mark(false, read: JSONNumber(a).description, "no number in the key") }
            // Where the key (or the question) states a unit, an answer in another unit of its kind is converted.
            if let keyUnit = Units.unit(after: e, in: expected) ?? Units.asked(in: record[.query]?.stringValue ?? ""),
               let answerUnit = Units.unit(after: a, in: answer), answerUnit != keyUnit {
                guard answerUnit.kind == keyUnit.kind else { return mark(false, read: answer, "a \(answerUnit.kind), where the key asks for a \(keyUnit.kind)") }
                let converted = a * answerUnit.factor / keyUnit.factor
                let right = NumberReading.equal(converted, e)
                let shown = JSONNumber((converted * 1e9).rounded() / 1e9)
                return mark(right, read: "\(shown)", right ? "\(shown) in the key's unit: the number \(JSONNumber(e))" : "\(shown) in the key's unit, not \(JSONNumber(e))")
            }
            let right = NumberReading.equal(a, e)
            return mark(right, read: JSONNumber(a).description, right ? "the number \(JSONNumber(e))" : "\(JSONNumber(a)), not \(JSONNumber(e))")
        case .date:
            guard var key = DateReading.dates(in: expected) else { return mark(false, read: nil, "no date in the key") }
            // A numeric key whose own form leaves day and month open is read the way the answer's
            // same form is: the teacher and the class share a convention.
            let order: DateReading.Order = key.numeric && key.order == .either ? .dayFirst : key.order
            guard let read = DateReading.dates(in: answer, order: order) else { return mark(false, read: nil, "no date in the answer") }
            // An answer in words ("July 4, 1776") may be either reading of such a key.
            if key.numeric, read.numeric, let settled = DateReading.dates(in: expected, order: order) { key = settled }
            let right = !Set(read.days).isDisjoint(with: key.days)
            let shown = read.days.map(\.description).joined(separator: " or ")
            let either = read.days.count > 1 ? " (day and month could be either way round; one way is the key's)" : ""
            let matched = read.days.first(where: key.days.contains) ?? key.days[0]
            return mark(right, read: shown, right ? "the date \(matched)\(either)" : "\(shown), not \(key.days[0])")
        case .shortAnswer where Marking.isTruth(expected):
            let wanted = Marking.truth(expected)
            guard let read = Marking.truth(answer, typos: typos) else { return mark(false, read: nil, "neither true nor false") }
            let words = { (b: Bool) in b ? "true" : "false" }
            return mark(read == wanted, read: words(read), read == wanted ? "\(words(read)), as the key says" : "\(words(read)), not \(words(wanted ?? !read))")
        case .shortAnswer:
            let question = record[.query]?.stringValue ?? ""
            if ShortAnswer.states(answer, expected, question: question) { return mark(true, read: answer, "states '\(expected)'") }
            let word = answer.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
            if typos, !word.contains(" "), Typos.near(word, expected) {
                return mark(true, read: word, "'\(word)' is a small misspelling of '\(expected)' (typos allowed)")
            }
            return mark(false, read: answer, "does not state '\(expected)'")
        case .choice:
            let options = record[.choices]?.arrayValue?.compactMap(\.stringValue) ?? []
            let chosen = AnswerExtractor.choice(in: answer, options: options)
            let wanted = AnswerExtractor.choice(in: expected, options: options) ?? expected.uppercased()
            guard let chosen else { return mark(false, read: nil, "no choice among the options") }
            return mark(chosen == wanted, read: chosen, chosen == wanted ? "choice \(wanted)" : "choice \(chosen), not \(wanted)")
        case .classification:
            let labels = record[.labels]?.arrayValue?.compactMap(\.stringValue) ?? []
            let named = labels.isEmpty ? answer : AnswerExtractor.label(in: answer, labels: labels) ?? answer
            let right = Metric.normalizedText(named) == Metric.normalizedText(expected)
            return mark(right, read: named, right ? "the label \(expected)" : "not the label \(expected)")
        case .rougeL, .tokenF1:
            let value = metric.score(answer: answer, expected: expected).value
            return Mark(metric: metric, value: value, read: nil, why: String(format: "%@ %.2f against the key's text", metric == .rougeL ? "ROUGE-L F1" : "token F1", value))
        default:
            let value = metric.score(answer: answer, expected: expected).value
            return Mark(metric: metric, value: value, read: nil, why: "")
        }
    }

    static func markCorrection(answer: String, corrections: [String], record: JSONObject) -> Mark {
        guard let original = record[.original]?.stringValue else {
            return Mark(metric: .gleu, value: 0, read: nil, why: "no `original`: GLEU scores a correction against the text it corrects")
        }
        let value = Gleu.score(answer: answer, original: original, corrections: corrections)
        let unchanged = Gleu.tokens(answer) == Gleu.tokens(original) ? ", the original unchanged" : ""
        return Mark(metric: .gleu, value: value, read: nil,
                    why: String(format: "GLEU %.2f against %d correction%@%@", value, corrections.count, corrections.count == 1 ? "" : "s", unchanged))
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

    public static func normalizedText(_ s: String) -> String {
        let lowered = s.lowercased().trimmingCharacters(in: edges)
        return lowered.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

extension Metric {
    /// How the vote reads answers for a benchmark scored by this metric: numbers for
    /// numeric_match, code for pass@k, and so on; nil for `auto`, where each record is read as its
    /// adapter's `answer_format` and its own fields (choices, labels) say, as in `loco run`.
    public var answerFormat: AnswerExtractor.Format? {
        switch self {
        case .auto: nil
        case .numericMatch: .number
        case .passAt1, .passAtK: .code
        case .rougeL, .tokenF1, .gleu: .text
        case .classification: .label
        case .choice: .choice
        default: .auto
        }
    }
}
