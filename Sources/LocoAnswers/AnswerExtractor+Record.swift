import LocoKit
import LocoRegistry

/// What a record tells the extractor: loco-vote reads it to vote, and loco-gen to stop early.
extension AnswerExtractor.Context {
    /// The record's `choices` and `labels`; without labels of its own, its adapter's from the
    /// registry; without choices, the options its query lays out in lettered lines.
    public init(of record: JSONObject, registry: Registry?) throws {
        try self.init(of: record)
        if labels.isEmpty, let adapter = try record.optionalString(.adapter), let labels = registry?[adapter]?.labels {
            self.labels = labels
        }
    }

    public init(of record: JSONObject) throws {
        func strings(_ field: RecordField) throws -> [String] {
            guard let value = record[field], !value.isNull else { return [] }
            guard let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                throw RecordError.wrongType(field, expected: "an array of strings", got: value)
            }
            return list.compactMap(\.stringValue)
        }
        self.init(choices: try strings(.choices), labels: try strings(.labels))
        if choices.isEmpty, let query = record[.query]?.stringValue { choices = ShownOptions.options(in: query) }
    }
}

extension AnswerExtractor.Format {
    /// The adapter's `answer_format`; else `choice` when the record has `choices`, `label` when
    /// it has `labels`, `auto` otherwise.
    public init(for adapter: String?, registry: Registry?, context: AnswerExtractor.Context) {
        if let adapter, let name = registry?[adapter]?.answerFormat, let format = AnswerExtractor.Format(rawValue: name) {
            self = format
        } else if !context.choices.isEmpty {
            self = .choice
        } else if !context.labels.isEmpty {
            self = .label
        } else {
            self = .auto
        }
    }
}
