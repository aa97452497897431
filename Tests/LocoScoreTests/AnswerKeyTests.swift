import Foundation
import Testing
@testable import LocoKit
@testable import LocoScore

/// How loco-score's `auto` reads answers as people write them: each row an answer, what the key
/// expects (a list is aliases), the record's other fields, the metric auto chooses and the score.
/// docs/scoring.md explains the rules; change one there and here together.
@Suite struct AnswerKeyTests {
    struct Pair: CustomTestStringConvertible, Sendable {
        var answer: String
        var expected: [String]
        var record: [String: [String]] = [:]
        var metric: Metric
        var value: Double
        var testDescription: String { "\(answer.prefix(40)) / \(expected)" }
    }

    static func p(_ answer: String, _ expected: String, _ metric: Metric, _ value: Double, choices: [String]? = nil, labels: [String]? = nil) -> Pair {
        var record: [String: [String]] = [:]
        if let choices { record["choices"] = choices }
        if let labels { record["labels"] = labels }
        return Pair(answer: answer, expected: [expected], record: record, metric: metric, value: value)
    }

    static let pairs: [Pair] = [
        // Short answers stated in a sentence.
        p("The capital of France is Paris.", "Paris", .shortAnswer, 1),
        p("Paris", "Paris", .shortAnswer, 1),
        p("paris", "Paris", .shortAnswer, 1),
        p("  Paris.  ", "Paris", .shortAnswer, 1),
        p("The chemical symbol for gold is Au.", "Au", .shortAnswer, 1),
        p("It's Paris, a city on the Seine.", "Paris", .shortAnswer, 1),
        p("I think the answer is George Washington.", "George Washington", .shortAnswer, 1),
        p("George Washington was the first president.", "George Washington", .shortAnswer, 1),
        p("Washington", "George Washington", .shortAnswer, 0),
        p("The answer is Paris and it is lovely in spring.", "Paris", .shortAnswer, 1),
        p("Mitochondria are the powerhouse of the cell.", "mitochondria", .shortAnswer, 1),
        p("The Pacific Ocean.", "Pacific", .shortAnswer, 1),
        // ... but not among several, not denied, not a different word that contains it.
        p("Paris or London", "Paris", .shortAnswer, 0),
        p("It could be Paris, Lyon, or Marseille.", "Paris", .shortAnswer, 0),
        p("Paris, London", "Paris", .shortAnswer, 0),
        p("London and Paris", "Paris", .shortAnswer, 0),
        p("It is not Paris.", "Paris", .shortAnswer, 0),
        p("Never Paris; it is Lyon.", "Paris", .shortAnswer, 0),
        p("Parisian", "Paris", .shortAnswer, 0),
        p("The capital of France is Lyon.", "Paris", .shortAnswer, 0),
        p("", "Paris", .shortAnswer, 0),
        p("Gold", "Au", .shortAnswer, 0),
        // Numbers with units, separators, currency, words and scales.
        p("180 km", "180", .numericMatch, 1),
        p("It travels 180 kilometres.", "180", .numericMatch, 1),
        p("It travels 180 kilometres in 2 hours, so 90 km/h.", "90", .numericMatch, 1),
        p("100 degrees Celsius", "100", .numericMatch, 1),
        p("Water boils at 100 degrees Celsius.", "100", .numericMatch, 1),
        p("eighty-four", "84", .numericMatch, 1),
        p("Eighty four", "84", .numericMatch, 1),
        p("one hundred and twenty", "120", .numericMatch, 1),
        p("two thousand and five", "2005", .numericMatch, 1),
        p("a dozen", "12", .numericMatch, 0),
        p("2.5 million", "2500000", .numericMatch, 1),
        p("$1,000", "1000", .numericMatch, 1),
        p("$1000.00", "1,000", .numericMatch, 1),
        p("1 000", "1000", .numericMatch, 0),
        p("3/4", "0.75", .numericMatch, 1),
        p("0.75", "3/4", .numericMatch, 1),
        p("-7", "-7", .numericMatch, 1),
        p("7", "-7", .numericMatch, 0),
        p("12%", "12", .numericMatch, 1),
        p("The answer is 42.", "42", .numericMatch, 1),
        p("First I add 40 and 2. The answer is 42.", "42", .numericMatch, 1),
        p("40 + 2 = 42", "42", .numericMatch, 1),
        p("#### 18", "18", .numericMatch, 1),
        p("\\boxed{18}", "18", .numericMatch, 1),
        p("She has 5 apples and buys 3 more, 8 in all.", "8", .numericMatch, 1),
        p("She has 5 apples and buys 3 more, 8 in all.", "5", .numericMatch, 0),
        p("four", "4", .numericMatch, 1),
        p("The answer is four.", "four", .numericMatch, 1),
        p("fourteen", "4", .numericMatch, 0),
        p("I don't know", "4", .numericMatch, 0),
        p("1e3", "1000", .numericMatch, 0),
        // Choices: the letter or the option's text, either way round.
        p("B", "B", .choice, 1, choices: ["red", "blue", "green"]),
        p("(B)", "B", .choice, 1, choices: ["red", "blue", "green"]),
        p("The answer is B.", "B", .choice, 1, choices: ["red", "blue", "green"]),
        p("blue", "B", .choice, 1, choices: ["red", "blue", "green"]),
        p("B", "blue", .choice, 1, choices: ["red", "blue", "green"]),
        p("C", "B", .choice, 0, choices: ["red", "blue", "green"]),
        p("green", "blue", .choice, 0, choices: ["red", "blue", "green"]),
        // Labels: the label the answer names.
        p("positive", "positive", .classification, 1, labels: ["positive", "negative"]),
        p("The review is positive.", "positive", .classification, 1, labels: ["positive", "negative"]),
        p("Negative", "positive", .classification, 0, labels: ["positive", "negative"]),
        // Long text: ROUGE-L against the expected.
        p("A study of routing for small language models", "Routing small language models: a study", .rougeL, 0.571),
    ]

    @Test(arguments: pairs)
    func autoReadsTheAnswerAsATeacherWould(_ pair: Pair) throws {
        var record = JSONObject()
        for (key, values) in pair.record { record[key] = .array(values.map { .string($0) }) }
        let (metric, value) = Metric.auto.score(answer: pair.answer, expected: pair.expected, record: record)
        #expect(metric == pair.metric)
        #expect(abs(value - pair.value) < 0.01, "scored \(value)")
    }

    @Test func thereAreAtLeastSixtyPairs() {
        #expect(Self.pairs.count >= 60)
    }

    @Test func aliasesAcceptAnyOfTheirAnswers() {
        let score = Metric.auto.score(answer: "The largest planet is Jupiter.", expected: ["Jupiter", "Jove"], record: [:])
        #expect(score == (.shortAnswer, 1))
        #expect(Metric.auto.score(answer: "Jove", expected: ["Jupiter", "Jove"], record: [:]).value == 1)
        #expect(Metric.auto.score(answer: "Saturn", expected: ["Jupiter", "Jove"], record: [:]).value == 0)
    }

    @Test func aRecordMayNameItsOwnMetric() throws {
        var stage = ScoreStage()
        var record: JSONObject = ["answer": "paris", "expected": "Paris!", "metric": "exact_match"]
        try stage.process(&record, line: 1)
        #expect(record["score"]?.objectValue?["metric"] == "exact_match" && record["score"]?.objectValue?["value"] == 1)
        var wrong: JSONObject = ["answer": "x", "expected": "y", "metric": "closest"]
        #expect(throws: RecordError.self) { try stage.process(&wrong, line: 2) }
        var aliases: JSONObject = ["answer": "It is Jove.", "expected": ["Jupiter", "Jove"]]
        try stage.process(&aliases, line: 3)
        #expect(aliases["score"]?.objectValue?["metric"] == "short_answer" && aliases["score"]?.objectValue?["value"] == 1)
    }
}

/// A teacher's marking rules, a row each as docs/homework.md tables them: the answer, the key,
/// the question (some rules read it), whether small typos are allowed, the score and why.
@Suite struct MarkingRuleTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var answer: String, expected: String, question = "", choices: [String] = [], typos = false
        var metric: Metric, value: Double, why: String
        var testDescription: String { "\(answer.prefix(30)) / \(expected)" }
    }

    static let rows: [Row] = [
        // A hedge: two answers where one was asked.
        Row(answer: "Sydney\nCanberra", expected: "Canberra", metric: .shortAnswer, value: 0, why: "more than one answer given (sydney, canberra): a hedge scores 0"),
        Row(answer: "True\nFalse", expected: "False", metric: .shortAnswer, value: 0, why: "more than one answer given (true, false): a hedge scores 0"),
        Row(answer: "B\nC", expected: "B", choices: ["red", "green", "blue"], metric: .choice, value: 0, why: "more than one answer given (B, C): a hedge scores 0"),
        Row(answer: "100 or 212", expected: "100", metric: .numericMatch, value: 0, why: "more than one answer given (100, 212): a hedge scores 0"),
        Row(answer: "60 * 3 = 180\nSo it goes 180 km.", expected: "180", metric: .numericMatch, value: 1, why: "the number 180"),
        Row(answer: "True\nB: False\nC: False", expected: "True", metric: .shortAnswer, value: 0, why: "more than one answer given (true, false): a hedge scores 0"),
        // Units convert where the key (or the question) states one.
        Row(answer: "0.6 kg", expected: "600 g", metric: .numericMatch, value: 1, why: "600 in the key's unit: the number 600"),
        Row(answer: "0.6 kg", expected: "600", question: "How heavy is it (in grams)?", metric: .numericMatch, value: 1, why: "600 in the key's unit: the number 600"),
        Row(answer: "It takes 90 minutes.", expected: "1.5 hours", metric: .numericMatch, value: 1, why: "1.5 in the key's unit: the number 1.5"),
        Row(answer: "600 ml", expected: "600 g", metric: .numericMatch, value: 0, why: "a volume, where the key asks for a mass"),
        Row(answer: "0.6 kg", expected: "60 g", metric: .numericMatch, value: 0, why: "600 in the key's unit, not 60"),
        Row(answer: "600", expected: "600 g", metric: .numericMatch, value: 1, why: "the number 600"),
        // Dates, however written.
        Row(answer: "July 20, 1969", expected: "1969-07-20", metric: .date, value: 1, why: "the date 1969-07-20"),
        Row(answer: "20/07/1969", expected: "July 20, 1969", metric: .date, value: 1, why: "the date 1969-07-20"),
        Row(answer: "07/20/1969", expected: "July 20, 1969", metric: .date, value: 1, why: "the date 1969-07-20"),
        Row(answer: "20.07.1969", expected: "July 20, 1969", metric: .date, value: 1, why: "the date 1969-07-20"),
        Row(answer: "the 20th of July 1969", expected: "July 20, 1969", metric: .date, value: 1, why: "the date 1969-07-20"),
        Row(answer: "Jul 20 1969", expected: "July 20, 1969", metric: .date, value: 1, why: "the date 1969-07-20"),
        Row(answer: "1969-07-20", expected: "20 July 1969", metric: .date, value: 1, why: "the date 1969-07-20"),
        Row(answer: "04/07/1776", expected: "July 4, 1776", metric: .date, value: 1,
            why: "the date 1776-07-04 (day and month could be either way round; one way is the key's)"),
        Row(answer: "04/07/1776", expected: "07/04/1776", metric: .date, value: 0, why: "1776-07-04, not 1776-04-07"),
        Row(answer: "July 4, 1776", expected: "07/04/1776", metric: .date, value: 1, why: "the date 1776-07-04"),
        Row(answer: "July 21, 1969", expected: "July 20, 1969", metric: .date, value: 0, why: "1969-07-21, not 1969-07-20"),
        Row(answer: "1969", expected: "July 20, 1969", metric: .date, value: 0, why: "no date in the answer"),
        // Choices: the letter in any case, or the option's text.
        Row(answer: "b", expected: "B", choices: ["red", "green", "blue"], metric: .choice, value: 1, why: "choice B"),
        Row(answer: "b) green", expected: "B", choices: ["red", "green", "blue"], metric: .choice, value: 1, why: "choice B"),
        Row(answer: "Answer: b", expected: "B", choices: ["red", "green", "blue"], metric: .choice, value: 1, why: "choice B"),
        Row(answer: "Green.", expected: "B", choices: ["red", "green", "blue"], metric: .choice, value: 1, why: "choice B"),
        Row(answer: "a dog", expected: "B", choices: ["red", "green", "blue"], metric: .choice, value: 0, why: "no choice among the options"),
        // True and false.
        Row(answer: "F", expected: "False", metric: .shortAnswer, value: 1, why: "false, as the key says"),
        Row(answer: "T", expected: "False", metric: .shortAnswer, value: 0, why: "true, not false"),
        Row(answer: "flase", expected: "False", typos: true, metric: .shortAnswer, value: 1, why: "false, as the key says"),
        Row(answer: "flase", expected: "False", metric: .shortAnswer, value: 0, why: "neither true nor false"),
        // What the question names, and a rival the answer denies, stand beside the answer.
        Row(answer: "Canberra, Australia", expected: "Canberra", question: "What is the capital of Australia?", metric: .shortAnswer, value: 1, why: "states 'Canberra'"),
        Row(answer: "I think it's Canberra, not Sydney.", expected: "Canberra", metric: .shortAnswer, value: 1, why: "states 'Canberra'"),
        Row(answer: "Canberra, Sydney", expected: "Canberra", question: "What is the capital of Australia?", metric: .shortAnswer, value: 0, why: "does not state 'Canberra'"),
        // Typos, when the teacher allows them: one edit up to 7 letters, two from 8.
        Row(answer: "Canbera", expected: "Canberra", typos: true, metric: .shortAnswer, value: 1, why: "'Canbera' is a small misspelling of 'Canberra' (typos allowed)"),
        Row(answer: "Canbera", expected: "Canberra", metric: .shortAnswer, value: 0, why: "does not state 'Canberra'"),
        Row(answer: "Pariss", expected: "Paris", typos: true, metric: .shortAnswer, value: 1, why: "'Pariss' is a small misspelling of 'Paris' (typos allowed)"),
        Row(answer: "Rome", expected: "Paris", typos: true, metric: .shortAnswer, value: 0, why: "does not state 'Paris'"),
        Row(answer: "Ag", expected: "Au", typos: true, metric: .shortAnswer, value: 0, why: "does not state 'Au'"),
    ]

    @Test(arguments: rows)
    func eachRuleScoresAndSaysWhy(_ row: Row) {
        var record: JSONObject = ["query": .string(row.question)]
        if !row.choices.isEmpty { record["choices"] = .array(row.choices.map { .string($0) }) }
        let mark = Metric.auto.mark(answer: row.answer, expected: [row.expected], record: record, typos: row.typos)
        #expect(mark.metric == row.metric)
        #expect(mark.value == row.value)
        #expect(mark.why == row.why)
    }
}
