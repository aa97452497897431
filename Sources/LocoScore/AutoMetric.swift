import Foundation
import LocoAnswers
import LocoKit

/// How `auto` scores a record, and the rules behind the metrics that answers in a person's own
/// words need: a choice, a short answer stated in a sentence, a number with its unit or in words.
/// docs/scoring.md sets them beside lm-evaluation-harness's filters.
extension Metric {
    /// The metric for one record: its own `metric` when it names one, else what its fields call
    /// for — code with `tests` (and no `expected`): pass@1; `choices`: choice; `labels`:
    /// classification; a date expected: date; a number expected: numeric_match; a short text (up to five words):
    /// short_answer; a longer text: rouge_l.
    static func chosen(for record: JSONObject, expected: [String]) -> Metric {
        if record[.tests] != nil && expected.isEmpty { return .passAt1 }
        if record[.choices]?.arrayValue?.isEmpty == false { return .choice }
        if record[.labels]?.arrayValue?.isEmpty == false { return .classification }
        guard let first = expected.first else { return .exactMatch }
        if DateReading.dates(in: first) != nil { return .date }
        if NumberReading.numbers(in: first).count == 1, AnswerExtractor.normalizedNumber(first) != nil || isSpelledNumber(first) {
            return .numericMatch
        }
        return RougeL.tokens(first).count <= ShortAnswer.maximumWords ? .shortAnswer : .rougeL
    }

    private static func isSpelledNumber(_ text: String) -> Bool {
        let words = RougeL.tokens(text.replacingOccurrences(of: "-", with: " "))
        return !words.isEmpty && NumberReading.numbers(in: text).count == 1 && words.allSatisfy { NumberReading.numbers(in: String($0)).count == 1 || $0 == "and" }
    }
}

/// A short answer is right when it is the expected text, or a sentence that states it: "The capital
/// of France is Paris." for "Paris". Not when it names it among others ("Paris or London", "Paris,
/// Lyon, Marseille") or denies it ("It is not Paris"). Beside it may stand what the question
/// already names ("Canberra, Australia" for the capital of Australia) or a rival it denies
/// ("Canberra, not Sydney").
enum ShortAnswer {
    static let maximumWords = 5
    private static let negations: Set<Substring> = ["not", "never", "no", "isn", "isnt", "wasn", "nor"]
    private static let joiners: Set<Substring> = ["and", "or", "nor", "versus", "vs"]

    static func states(_ answer: String, _ expected: String, question: String = "") -> Bool {
        let a = words(answer), e = words(expected)
        guard !e.isEmpty, a.count >= e.count else { return false }
        if a == e { return true }
        if a.contains("or") && !e.contains("or") { return false }
        for start in 0...(a.count - e.count) where Array(a[start..<start + e.count]) == e {
            let before = a[max(0, start - 3)..<start]
            if before.contains(where: { negations.contains($0) }) { continue }
            if isListItem(a, start: start, end: start + e.count, named: Set(words(question))) { continue }
            return true
        }
        return false
    }

    /// Lower-cased words, with commas, semicolons and slashes kept as separators.
    static func words(_ text: String) -> [Substring] {
        let spaced = text.lowercased().replacingOccurrences(of: ",", with: " , ").replacingOccurrences(of: ";", with: " , ")
            .replacingOccurrences(of: "/", with: " , ").replacingOccurrences(of: "'", with: "")
        return spaced.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == ",") })
    }

    /// The phrase at start..<end is one of several short items: a separator beside it leads to
    /// one or two more words and then the end or another separator.
    private static func isListItem(_ a: [Substring], start: Int, end: Int, named: Set<Substring>) -> Bool {
        func separator(_ w: Substring) -> Bool { w == "," || joiners.contains(w) }
        // A rival answer: not one the question names already, not one the answer denies.
        func shortItem(_ range: [Substring]) -> Bool {
            !range.isEmpty && range.count <= 2 && !range.contains(where: separator)
                && !range.allSatisfy(named.contains) && !negations.contains(range[0])
        }
        if end < a.count, separator(a[end]) {
            var next = end + 1
            if next < a.count, joiners.contains(a[next]) { next += 1 }
            let rest = Array(a[next...])
            let item = Array(rest.prefix { !separator($0) })
            if shortItem(item) && (item.count == rest.count || separator(rest[item.count])) { return true }
        }
        if start > 0, separator(a[start - 1]) {
            let head = Array(a[..<(start - 1)])
            let item = Array(head.reversed().prefix { !separator($0) }.reversed())
            if shortItem(item) && (item.count == head.count || separator(head[head.count - item.count - 1])) { return true }
        }
        return false
    }
}
