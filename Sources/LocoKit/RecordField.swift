/// Every top-level field of the record contract, in pipeline order: the names in one place.
/// docs/record.schema.json describes each (a test holds the two equal); a stage reads and writes
/// its fields through these, so a typo is a compile error, not a field nobody reads.
public enum RecordField: String, CaseIterable, Sendable {
    // The user's.
    case id, query, expected, metric, adapter, choices, labels, tests
    case entryPoint = "entry_point"
    case original
    // loco-route.
    case route
    // loco-prompt.
    case messages, prompt
    case choicePrompt = "choice_prompt"
    case choiceNullPrompt = "choice_null_prompt"
    case stop, strategy
    case answerStart = "answer_start"
    // loco-gen.
    case model, backend, engine, lora, samples, sampling
    // loco-vote.
    case runs, answers, answer, voting, votes
    case testsPassed = "tests_passed"
    case agreement
    // loco-score.
    case score
    // Any stage, for a record it could not handle.
    case error, raw
}

extension JSONObject {
    public subscript(_ field: RecordField) -> JSONValue? {
        get { self[field.rawValue] }
        set { self[field.rawValue] = newValue }
    }

    public func requireString(_ field: RecordField) throws -> String { try requireString(field.rawValue) }
    public func optionalString(_ field: RecordField) throws -> String? { try optionalString(field.rawValue) }
}

extension RecordError {
    public init(_ message: String, field: RecordField) { self.init(message, field: field.rawValue) }
    public static func missing(_ field: RecordField) -> RecordError { missing(field.rawValue) }
    public static func wrongType(_ field: RecordField, expected: String, got value: JSONValue) -> RecordError {
        wrongType(field.rawValue, expected: expected, got: value)
    }
}
