import LocoKit
import LocoRegistry
import LocoAnswers

/// `loco-prompt`: adds `messages` (chat engines), `prompt` and `stop` (raw completion engines)
/// and `strategy`, from the record's `query` and the adapter's system prompt; for a multiple
/// choice, `choice_prompt` and `choice_null_prompt` as well, after which loco-gen scores each option.
public struct PromptStage: Stage {
    public let name = "loco-prompt"
    public var registry: Registry
    public var reRead: Bool
    /// Used when the record routes to the base model (adapter null or absent).
    public var baseSystemPrompt: String

    public static let defaultBaseSystemPrompt = "You are a helpful assistant. Answer the question accurately and concisely."

    public init(registry: Registry, reRead: Bool = true, baseSystemPrompt: String = PromptStage.defaultBaseSystemPrompt) {
        self.registry = registry
        self.reRead = reRead
        self.baseSystemPrompt = baseSystemPrompt
    }

    public mutating func process(_ record: inout JSONObject, line: Int) throws {
        _ = try converse(&record, history: [])
    }

    /// The record for a question that follows earlier turns (loco chat): the same fields as
    /// `process`, the turns before the question, the oldest dropped beyond `budgetTokens`.
    /// Returns how many turns were dropped.
    public func converse(_ record: inout JSONObject, history: [ChatTurn], budgetTokens: Int = .max) throws -> Int {
        var query = try record.requireString(.query)
        let system = try systemPrompt(for: record.optionalString(.adapter))
        let shown = ShownOptions(in: query)
        let isChoice = shown.options.count >= 2 || record[.choices]?.arrayValue?.isEmpty == false
        if isChoice {
            // Each option is scored as the answer to the question alone, read once, as
            // lm-evaluation-harness scores one: with the options listed and the question read
            // twice, the model found no option likelier than another (docs/record-format.md).
            record[.choicePrompt] = .string(Conversation.build(system: system, history: [], question: shown.stem, reRead: false).prompt)
            // And after no question at all: what an option scores there is how likely it is whatever
            // the question, which loco-gen takes out (ChoiceScore).
            record[.choiceNullPrompt] = .string(Conversation.build(system: system, history: [], question: "", reRead: false).prompt)
        }
        // A multiple choice is asked with its options (a teacher's key has them in a column).
        if let options = record[.choices]?.arrayValue?.compactMap(\.stringValue), !options.isEmpty,
           !options.allSatisfy({ query.lowercased().contains($0.lowercased()) }) {
            query += "\n" + options.prefix(AnswerExtractor.optionLetterCount).enumerated()
                .map { "\(AnswerExtractor.optionLetter($0))) \($1)" }.joined(separator: "\n")
        }
        let conversation = Conversation.build(system: system, history: history,
                                              question: query, reRead: reRead, budgetTokens: budgetTokens)
        record[.messages] = .array(conversation.messages.map { ["role": .string($0.role), "content": .string($0.content)] })
        record[.prompt] = .string(conversation.prompt)
        record[.answerStart] = nil
        if !isChoice, let start = try answerStart(for: record.optionalString(.adapter), query: query) {
            // Chat engines take the messages and answer from the start; the raw prompt ends with it.
            record[.answerStart] = .string(start)
            record[.prompt] = .string(conversation.prompt + start)
        }
        record[.stop] = .array(RE2Prompt.rawStops.map { .string($0) })
        record[.strategy] = reRead ? ["re2"] : []
        return conversation.droppedTurns
    }

    /// How the answer starts before the model writes: for an adapter that answers with code, the
    /// function the question leaves unfinished (AnswerStart); nil for any other question.
    public func answerStart(for adapter: String?, query: String) throws -> String? {
        guard let adapter, registry[adapter]?.answerFormat == AnswerExtractor.Format.code.rawValue else { return nil }
        return AnswerStart.code(for: query)
    }

    /// The adapter's system prompt; the base model's for none.
    public func systemPrompt(for adapter: String?) throws -> String {
        guard let adapter else { return baseSystemPrompt }
        guard let entry = registry[adapter] else {
            throw RecordError("unknown adapter '\(adapter)' (known: \(registry.names.joined(separator: ", ")), or null for the base model)", field: .adapter)
        }
        return entry.systemPrompt
    }
}
