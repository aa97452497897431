import LocoKit
import LocoRegistry

/// `loco-prompt`: adds `messages` (chat engines), `prompt` and `stop` (raw completion engines)
/// and `strategy`, from the record's `query` and the adapter's system prompt.
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
        var query = try record.requireString(.query)
        // A multiple choice is asked with its options (a teacher's key has them in a column).
        if let options = record[.choices]?.arrayValue?.compactMap(\.stringValue), !options.isEmpty,
           !options.allSatisfy({ query.lowercased().contains($0.lowercased()) }) {
            query += "\n" + options.prefix(10).enumerated().map { "\(String(UnicodeScalar(UInt8(65 + $0))))) \($1)" }.joined(separator: "\n")
        }
        var system = baseSystemPrompt
        if let adapter = try record.optionalString(.adapter) {
            guard let entry = registry[adapter] else {
                throw RecordError("unknown adapter '\(adapter)' (known: \(registry.names.joined(separator: ", ")), or null for the base model)", field: .adapter)
            }
            system = entry.systemPrompt
        }
        record[.messages] = [
            ["role": "system", "content": .string(system)],
            ["role": "user", "content": .string(RE2Prompt.userText(query, reRead: reRead))],
        ]
        record[.prompt] = .string(RE2Prompt.rawPrompt(query, system: system, reRead: reRead))
        record[.stop] = .array(RE2Prompt.rawStops.map { .string($0) })
        record[.strategy] = reRead ? ["re2"] : []
    }
}
