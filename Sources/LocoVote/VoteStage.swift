import LocoKit

/// `loco-vote`: extracts an answer from each sample and adds `answers` (one per sample),
/// `answer` (the majority), `votes` {answer: count} and `agreement`.
public struct VoteStage: Stage {
    public let name = "loco-vote"
    public var registry: Registry?
    /// Overrides the adapter's `answer_format` when set.
    public var format: AnswerExtractor.Format?

    public init(registry: Registry?, format: AnswerExtractor.Format? = nil) {
        self.registry = registry
        self.format = format
    }

    public mutating func process(_ record: inout JSONObject, line: Int) throws {
        guard let value = record["samples"], !value.isNull else { throw RecordError("missing field 'samples' (run loco-gen first)", field: "samples") }
        guard let samples = value.arrayValue else { throw RecordError.wrongType("samples", expected: "an array", got: value) }
        let texts: [String] = try samples.enumerated().map { index, sample in
            guard let text = sample.objectValue?["text"]?.stringValue else {
                throw RecordError("samples[\(index)] must be an object with a string 'text'", field: "samples")
            }
            return text
        }
        let chosen = try format ?? formatFor(adapter: record.optionalString("adapter"))
        let answers = texts.map { AnswerExtractor.extract($0, format: chosen) }
        guard let vote = MajorityVote(answers) else { throw RecordError("field 'samples' is empty", field: "samples") }
        record["answers"] = .array(answers.map { .string($0) })
        record["answer"] = .string(vote.answer)
        record["votes"] = .object(JSONObject(vote.votes.map { ($0.answer, JSONValue($0.count)) }))
        record["agreement"] = JSONValue(vote.agreement)
    }

    private func formatFor(adapter: String?) -> AnswerExtractor.Format {
        guard let adapter, let name = registry?[adapter]?.answerFormat else { return .auto }
        return AnswerExtractor.Format(rawValue: name) ?? .auto
    }
}
