import LocoAnswers
import LocoKit
import LocoSandbox
import LocoRegistry

/// `loco-vote`: extracts an answer from each sample and adds `answers` (one per sample, null
/// where a sample states none), `answer`, `votes` {answer: count}, `agreement` and `voting`
/// {format, method, imports?, note?}.
public struct VoteStage: Stage {
    public let name = "loco-vote"
    public var registry: Registry?
    /// Overrides the adapter's `answer_format` when set.
    public var format: AnswerExtractor.Format?
    /// How a benchmark's metric reads answers (loco eval): it stands in for the adapter's
    /// `answer_format`, except that an adapter answering with programs still has them run.
    public var metricFormat: AnswerExtractor.Format?

    /// Runs code answers against the tests the question shows; made on first use.
    public lazy var execution = CodeExecution()
    /// Runs program answers; made on first use.
    public lazy var programs = ProgramRunner()

    public init(registry: Registry?, format: AnswerExtractor.Format? = nil) {
        self.registry = registry
        self.format = format
    }

    public mutating func process(_ record: inout JSONObject, line: Int) throws {
        guard let value = record[.samples], !value.isNull else { throw RecordError("missing field 'samples' (run loco-gen first)", field: .samples) }
        guard let samples = value.arrayValue else { throw RecordError.wrongType(.samples, expected: "an array", got: value) }
        guard !samples.isEmpty else { throw RecordError("field 'samples' is empty", field: .samples) }
        let texts: [String] = try samples.enumerated().map { index, sample in
            guard let text = sample.objectValue?["text"]?.stringValue else {
                throw RecordError("samples[\(index)] must be an object with a string 'text'", field: .samples)
            }
            return text
        }
        let context = try AnswerExtractor.Context(of: record, registry: registry)
        let own = try AnswerExtractor.Format(for: record.optionalString(.adapter), registry: registry, context: context)
        let chosen = format ?? (own == .program ? own : metricFormat ?? own)
        var answers = texts.map { AnswerExtractor.extract($0, format: chosen, context: context) }
        var voting: JSONObject = ["format": .string(chosen.rawValue)]
        if chosen == .code {
            // A function that leaves out the import its names need fails as it loads, wherever it runs.
            let question = record[.query]?.stringValue ?? ""
            var added: [String] = []
            answers = answers.map { answer in
                guard let answer else { return nil }
                let completed = MissingImports.completing(answer, question: question)
                for line in completed.added where !added.contains(line) { added.append(line) }
                return completed.code
            }
            if !added.isEmpty { voting["imports"] = .array(added.map { .string($0) }) }
        }
        if chosen == .program {
            // Each distinct program runs once; loco-gen's run is taken where it already ran it to stop early.
            var ran: [String: ProgramAnswer] = [:]
            let runs = try zip(samples, texts).map { sample, text in
                if let kept = ProgramAnswer(json: sample.objectValue?["run"]) { return kept }
                if let seen = ran[text] { return seen }
                let run = try programs.answer(text)
                ran[text] = run
                return run
            }
            record[.runs] = .array(runs.map(\.json))
            answers = runs.map(\.value)
        }
        record[.answers] = .array(answers.map { JSONValue($0) })

        let majority = MajorityVote(answers)
        let voterCount = answers.compactMap { $0 }.count
        let everyoneDiffers = voterCount > 1 && majority?.votes.count == voterCount
        if chosen == .text || (chosen == .code && everyoneDiffers) {
            // No two free texts are equal: best-of-N takes the one closest to all the others.
            let voters = answers.enumerated().compactMap { i, a in a.map { (i, $0) } }
            if let medoid = RougeL.medoid(voters.map(\.1)) {
                record[.answer] = .string(voters[medoid.index].1)
                record[.agreement] = JSONValue(medoid.meanSimilarity)
            } else {
                record[.answer] = .null
                record[.agreement] = JSONValue(0)
            }
            voting["method"] = "medoid-rouge-l"
        } else {
            record[.answer] = JSONValue(majority?.answer)
            record[.agreement] = JSONValue(majority?.agreement ?? 0)
            voting["method"] = "majority"
        }
        record[.votes] = .object(JSONObject((majority?.votes ?? []).map { ($0.answer, JSONValue($0.count)) }))
        // Only the asserts the question itself shows may steer the vote: the record's `tests`
        // belong to the scorer (a benchmark's hidden tests, a homework key's), and a vote that ran
        // them would pick its answer with the marking scheme in hand.
        if chosen == .code, case let shown = VoteStage.testsShown(in: record[.query]?.stringValue ?? ""), !shown.isEmpty {
            do {
                try voteByTests(answers, tests: shown, record: &record, voting: &voting)
            } catch let error as RecordError where error.message.hasPrefix("needs sandbox") {
                voting["note"] = .string("tests not run (\(error.message)); voted on the code itself")
            }
        }
        record[.voting] = .object(voting)
    }

    /// The asserts a question shows ("Write add(a, b) such that:⏎assert add(2, 3) == 5"), one
    /// test each: what a user asking it could run too.
    public static func testsShown(in query: String) -> [String] {
        query.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("assert ") }
    }

    /// The seed's rule for code: the sample that passes the most of the shown tests wins; among
    /// equals, the code more samples wrote, then the first. Each distinct code runs once, in the sandbox.
    private mutating func voteByTests(_ answers: [String?], tests: [String], record: inout JSONObject, voting: inout JSONObject) throws {
        var results: [String: (passed: Int, total: Int, summary: String)] = [:]
        let shown: JSONObject = [RecordField.tests.rawValue: .array(tests.map { .string($0) })]
        for code in Set(answers.compactMap { $0 }) { results[code] = try execution.testsPassed(code: code, record: shown) }
        let counts = Dictionary(answers.compactMap { $0 }.map { ($0, 1) }, uniquingKeysWith: +)
        var best: (index: Int, passed: Int, count: Int)?
        for (index, answer) in answers.enumerated() {
            guard let answer, let result = results[answer] else { continue }
            let candidate = (index, result.passed, counts[answer] ?? 0)
            if best == nil || (candidate.1, candidate.2) > (best!.passed, best!.count) { best = candidate }
        }
        record[.testsPassed] = .array(answers.map { answer in
            answer.flatMap { results[$0] }.map { JSONValue($0.passed) } ?? .null
        })
        voting["runs"] = .array(answers.map { answer in .string(answer.flatMap { results[$0]?.summary } ?? "no code to run") })
        // When no sample passes a single test, the tests cannot choose: the vote above stands.
        guard let best, best.passed > 0, let winner = answers[best.index] else {
            voting["method"] = .string("tests-passed (none passed: \(voting["method"]?.stringValue ?? "majority") kept)")
            return
        }
        voting["method"] = "tests-passed"
        record[.answer] = .string(winner)
        record[.agreement] = JSONValue(Double(best.count) / Double(answers.count))
    }
}
