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
        #expect(record["score"] == ["metric": "exact_match", "value": 1])
        var wrong: JSONObject = ["answer": "x", "expected": "y", "metric": "closest"]
        #expect(throws: RecordError.self) { try stage.process(&wrong, line: 2) }
        var aliases: JSONObject = ["answer": "It is Jove.", "expected": ["Jupiter", "Jove"]]
        try stage.process(&aliases, line: 3)
        #expect(aliases["score"] == ["metric": "short_answer", "value": 1])
    }
}
