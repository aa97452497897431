import LocoKit

/// `loco-score`: compares `answer` with `expected` and adds `score` {metric, value}. A record
/// without `expected` passes through unscored (homework has no answer key); one without
/// `answer` is an error.
public struct ScoreStage: Stage {
    public let name = "loco-score"
    public var metric: Metric
    public private(set) var scored = 0
    public private(set) var correct = 0.0

    public struct Summary: Equatable {
        public var n = 0
        public var scored = 0
        public var correct = 0.0
        public var errors = 0
        public var accuracy: Double? { scored == 0 ? nil : correct / Double(scored) }

        public var json: JSONValue {
            ["n": JSONValue(n), "scored": JSONValue(scored), "correct": JSONValue(correct),
             "accuracy": accuracy.map { JSONValue($0) } ?? .null, "errors": JSONValue(errors)]
        }

        public var line: String {
            let acc = accuracy.map { String(format: "%.3f", $0) } ?? "n/a"
            return "n=\(n) scored=\(scored) correct=\(JSONNumber(correct)) accuracy=\(acc) errors=\(errors)"
        }
    }

    /// For pass@k: how many samples one attempt may draw.
    public var k = 1
    /// Built on the first record that needs it, so scoring text never probes for a sandbox.
    public lazy var execution = CodeExecution()

    public init(metric: Metric = .auto) { self.metric = metric }

    /// The run's figures: `n` and `errors` come from the runner, which sees every line.
    public func summary(_ outcome: StageRunner.Outcome) -> Summary {
        Summary(n: outcome.records, scored: scored, correct: correct, errors: outcome.errors)
    }

    public mutating func process(_ record: inout JSONObject, line: Int) throws {
        if metric.executes || (metric == .auto && record["tests"] != nil && record["expected"] == nil) {
            return try scoreByExecution(&record)
        }
        guard let answerValue = record["answer"] else { throw RecordError.missing("answer") }
        // null: no sample stated an answer of the expected kind, which is a wrong answer.
        guard let answer = answerValue.isNull ? "" : answerValue.stringValue else {
            throw RecordError.wrongType("answer", expected: "a string or null", got: answerValue)
        }
        guard let expectedValue = record["expected"], !expectedValue.isNull else { return }
        let expected: String
        switch expectedValue {
        case .string(let s): expected = s
        case .number(let n): expected = n.literal
        default: throw RecordError.wrongType("expected", expected: "a string or a number", got: expectedValue)
        }
        let result = metric.score(answer: answer, expected: expected)
        record["score"] = ["metric": .string(result.metric.rawValue), "value": JSONValue(result.value)]
        scored += 1
        correct += result.value
    }

    private mutating func scoreByExecution(_ record: inout JSONObject) throws {
        let metric: Metric = self.metric == .passAtK ? .passAtK : .passAt1
        let answer = try record.optionalString("answer")
        var codes: [String?] = [answer]
        if metric == .passAtK {
            guard let answers = record["answers"]?.arrayValue else { throw RecordError.missing("answers") }
            codes = answers.map(\.stringValue)
        }
        var results: [JSONValue] = []
        var passes = 0
        for code in codes {
            let outcome = try execution.run(code: code, record: record)
            if outcome?.passed == true { passes += 1 }
            results.append(.string(outcome?.summary ?? "no code to run"))
        }
        let value = metric == .passAtK ? CodeExecution.passAtK(n: codes.count, c: passes, k: k) : Double(passes)
        var score: JSONObject = ["metric": .string(metric.rawValue), "value": JSONValue((value * 1_000_000).rounded() / 1_000_000)]
        if metric == .passAtK {
            score["k"] = JSONValue(k)
            score["n"] = JSONValue(codes.count)
            score["passed"] = JSONValue(passes)
        }
        score["runs"] = .array(results)
        record["score"] = .object(score)
        scored += 1
        correct += value
    }
}
