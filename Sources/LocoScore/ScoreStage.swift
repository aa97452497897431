import LocoAnswers
import LocoEngines
import LocoKit
import LocoSandbox

/// `loco-score`: compares `answer` with `expected` and adds `score` {metric, value}. A record
/// without `expected` passes through unscored (homework has no answer key); one without
/// `answer` is an error.
public struct ScoreStage: Stage {
    public let name = "loco-score"
    public var metric: Metric
    public private(set) var scored = 0
    public private(set) var correct = 0.0
    public private(set) var values: [Double] = []

    public struct Summary: Equatable {
        public var n = 0
        public var scored = 0
        public var correct = 0.0
        public var errors = 0
        /// With --metric classification: the mean F1 over the expected labels.
        public var macroF1: Double?
        /// Each scored record's value, for the interval that fits the metric.
        public var values: [Double] = []
        public var accuracy: Double? { scored == 0 ? nil : correct / Double(scored) }

        public var json: JSONValue {
            var object: JSONObject = ["n": JSONValue(n), "scored": JSONValue(scored), "correct": JSONValue(correct),
                                      "accuracy": accuracy.map { JSONValue($0) } ?? .null, "errors": JSONValue(errors)]
            if let macroF1 { object["macro_f1"] = JSONValue(macroF1) }
            if values.count == scored, let (low, high, method) = ScoreInterval.ci95(values) {
                object["ci95"] = [JSONValue(low), JSONValue(high)]
                object["interval"] = .string(method.rawValue)
            } else if let accuracy, let (low, high) = WilsonInterval.ci95(accuracy, scored) {
                object["ci95"] = [JSONValue(low), JSONValue(high)]
            }
            return .object(object)
        }

        public var line: String {
            let acc = accuracy.map { String(format: "%.3f", $0) } ?? "n/a"
            let f1 = macroF1.map { String(format: " macro_f1=%.3f", $0) } ?? ""
            return "n=\(n) scored=\(scored) correct=\(JSONNumber(correct)) accuracy=\(acc)\(f1) errors=\(errors)"
        }
    }

    /// For --metric judge: the engine and rubric that grade.
    public var judge: Judge?

    /// A one-word answer may be misspelt a little (`loco grade --typos allow`); off for a
    /// benchmark, where the model's spelling is part of its answer.
    public var typos = false
    /// Code earns the share of its tests it passes (`loco grade`), unless its question asks
    /// for pass@1 by name; a benchmark scores pass@1 all or nothing.
    public var partialCode = false

    /// For pass@k: how many samples one attempt may draw.
    public var k = 1
    /// Built on the first record that needs it, so scoring text never probes for a sandbox.
    public lazy var execution = CodeExecution()

    /// Per expected label: true positives, false positives, false negatives (classification).
    private var labelCounts: [String: (tp: Int, fp: Int, fn: Int)] = [:]

    public init(metric: Metric = .auto) { self.metric = metric }

    /// The run's figures: `n` and `errors` come from the runner, which sees every line.
    public func summary(_ outcome: StageRunner.Outcome) -> Summary {
        var summary = Summary(n: outcome.records, scored: scored, correct: correct, errors: outcome.errors)
        summary.values = values
        if metric == .classification {
            // Macro-F1 over the labels that were expected at least once.
            let f1s = labelCounts.values.filter { $0.tp + $0.fn > 0 }.map { c -> Double in
                let p = c.tp + c.fp == 0 ? 0 : Double(c.tp) / Double(c.tp + c.fp)
                let r = Double(c.tp) / Double(c.tp + c.fn)
                return p + r == 0 ? 0 : 2 * p * r / (p + r)
            }
            summary.macroF1 = f1s.isEmpty ? nil : f1s.reduce(0, +) / Double(f1s.count)
        }
        return summary
    }

    public mutating func process(_ record: inout JSONObject, line: Int) throws {
        let metric = try ScoreStage.metric(of: record) ?? self.metric
        let expected = try ScoreStage.expected(of: record)
        if metric.executes || (metric == .auto && record[.tests] != nil && expected.isEmpty) {
            let partial = partialCode && metric == .auto
            return try scoreByExecution(&record, metric: metric, partial: partial)
        }
        guard let answerValue = record[.answer] else { throw RecordError.missing(.answer) }
        // null: no sample stated an answer of the expected kind, which is a wrong answer.
        guard let answer = answerValue.isNull ? "" : answerValue.stringValue else {
            throw RecordError.wrongType(.answer, expected: "a string or null", got: answerValue)
        }
        if metric == .judge { return try scoreByJudge(&record, answer: answer) }
        guard !expected.isEmpty else { return }
        let result = metric.mark(answer: answer, expected: expected, record: record, typos: typos)
        if metric == .classification, let first = expected.first {
            let e = Metric.normalizedText(first), a = Metric.normalizedText(answer)
            if result.value == 1 {
                labelCounts[e, default: (0, 0, 0)].tp += 1
            } else {
                labelCounts[e, default: (0, 0, 0)].fn += 1
                labelCounts[a, default: (0, 0, 0)].fp += 1
            }
        }
        var score: JSONObject = ["metric": .string(result.metric.rawValue), "value": JSONValue((result.value * 1_000_000).rounded() / 1_000_000)]
        if let read = result.read { score["read"] = .string(String(read.prefix(200))) }
        if !result.why.isEmpty { score["why"] = .string(result.why) }
        record[.score] = .object(score)
        scored += 1
        correct += result.value
        values.append(result.value)
    }

    /// The record's own `metric`, when it names one (a teacher's key may, per question).
    public static func metric(of record: JSONObject) throws -> Metric? {
        guard let name = try record.optionalString(.metric) else { return nil }
        guard let metric = Metric(rawValue: name), metric != .judge else {
            let names = Metric.allCases.filter { $0 != .judge }.map(\.rawValue).joined(separator: ", ")
            throw RecordError("unknown metric '\(name)' (one of \(names))", field: .metric)
        }
        return metric
    }

    /// The accepted answers: `expected` as a string or number, or a list of them (aliases).
    static func expected(of record: JSONObject) throws -> [String] {
        func text(_ value: JSONValue) -> String? {
            switch value {
            case .string(let s): s
            case .number(let n): n.literal
            default: nil
            }
        }
        guard let value = record[.expected], !value.isNull else { return [] }
        if let items = value.arrayValue {
            let texts = items.compactMap(text)
            guard texts.count == items.count, !texts.isEmpty else {
                throw RecordError.wrongType(.expected, expected: "a string, a number or a non-empty list of them", got: value)
            }
            return texts
        }
        guard let single = text(value) else {
            throw RecordError.wrongType(.expected, expected: "a string, a number or a list of them", got: value)
        }
        return [single]
    }

    /// Needs `query`; `expected`, when there, is shown to the judge as the reference.
    private mutating func scoreByJudge(_ record: inout JSONObject, answer: String) throws {
        guard let judge else { throw RecordError("--metric judge needs an engine to judge with", field: .answer) }
        let question = try record.requireString(.query)
        let reference: String?
        switch record[.expected] {
        case .string(let s)?: reference = s
        case .number(let n)?: reference = n.literal
        default: reference = nil
        }
        let verdict: Judge.Verdict
        do {
            verdict = try judge.judge(question: question, answer: answer, reference: reference)
        } catch let error as EngineError {
            throw RecordError("judge: \(error)")
        } catch let error as TransportError {
            throw RecordError("judge: \(error)")
        }
        record[.score] = ["metric": "judge", "value": JSONValue(verdict.value),
                           "grades": .array(verdict.grades.map { $0.map { JSONValue($0) } ?? .null }), "spread": JSONValue(verdict.spread)]
        scored += 1
        correct += verdict.value
        values.append(verdict.value)
    }

    /// `partial`: one answer earns the share of the tests it passes (`tests_passed`).
    private mutating func scoreByExecution(_ record: inout JSONObject, metric chosen: Metric, partial: Bool = false) throws {
        let metric: Metric = chosen == .passAtK ? .passAtK : .passAt1
        // An answer written by a person may keep its ```python fence: the code is what is inside.
        let answer = try record.optionalString(.answer).flatMap(AnswerExtractor.codeBlock)
        var codes: [String?] = [answer]
        if metric == .passAtK {
            guard let answers = record[.answers]?.arrayValue else { throw RecordError.missing(.answers) }
            codes = answers.map { $0.stringValue.flatMap(AnswerExtractor.codeBlock) }
        }
        var results: [JSONValue] = []
        var passes = 0
        var share = 0.0, tests = 0, testsPassed = 0
        for code in codes {
            let outcome = try execution.run(code: code, record: record)
            if outcome?.passed == true { passes += 1 }
            tests = try CodeExecution.tests(of: record).tests.count
            testsPassed = outcome?.passedCount ?? 0
            share = tests == 0 ? 0 : Double(testsPassed) / Double(tests)
            results.append(.string(outcome?.summary ?? "no code to run"))
        }
        let value = metric == .passAtK ? CodeExecution.passAtK(n: codes.count, c: passes, k: k) : partial ? share : Double(passes)
        var score: JSONObject = ["metric": .string(partial ? "tests_passed" : metric.rawValue), "value": JSONValue((value * 1_000_000).rounded() / 1_000_000)]
        if partial {
            score["passed"] = JSONValue(testsPassed)
            score["of"] = JSONValue(tests)
            score["why"] = .string("\(testsPassed) of \(tests) tests passed: \(JSONNumber((share * 100).rounded() / 100)) of the marks")
        }
        if metric == .passAtK {
            score["k"] = JSONValue(k)
            score["n"] = JSONValue(codes.count)
            score["passed"] = JSONValue(passes)
        }
        score["runs"] = .array(results)
        record[.score] = .object(score)
        scored += 1
        correct += value
        values.append(value)
    }
}
