/// One exchange of a conversation.
public struct ChatTurn: Equatable, Sendable {
    public var user: String
    public var assistant: String
    public init(user: String, assistant: String) {
        self.user = user
        self.assistant = assistant
    }
}

/// What an engine reads for a question with the turns before it: a raw prompt in RE2's Q/A layout
/// for base models (earlier turns plain, the new question read twice, as RE2Prompt lays out one
/// question), and chat messages for chat engines. Earlier turns that no longer fit the budget are
/// dropped, oldest first. With no history it is exactly loco-prompt's prompt for the question.
public struct Conversation: Equatable {
    public var prompt: String
    public var messages: [(role: String, content: String)]
    /// How many of the oldest turns were left out to fit.
    public var droppedTurns: Int

    public static func == (a: Conversation, b: Conversation) -> Bool {
        a.prompt == b.prompt && a.droppedTurns == b.droppedTurns && a.messages.map { [$0.role, $0.content] } == b.messages.map { [$0.role, $0.content] }
    }

    /// A cautious guess at tokens from bytes: English runs about 4 bytes a token, so 3 leaves room.
    public static func estimatedTokens(_ text: String) -> Int { (text.utf8.count + 2) / 3 }

    public static func build(system: String, history: [ChatTurn], question: String, reRead: Bool, budgetTokens: Int = .max) -> Conversation {
        var kept = history
        var dropped = 0
        while true {
            let candidate = make(system: system, history: kept, question: question, reRead: reRead, dropped: dropped)
            if kept.isEmpty || estimatedTokens(candidate.prompt) <= budgetTokens { return candidate }
            kept.removeFirst()
            dropped += 1
        }
    }

    static func make(system: String, history: [ChatTurn], question: String, reRead: Bool, dropped: Int) -> Conversation {
        var prompt = system.isEmpty ? "" : system + "\n\n"
        var messages: [(role: String, content: String)] = [("system", system)]
        for turn in history {
            prompt += "Q: \(turn.user)\nA: \(turn.assistant)\n"
            messages.append(("user", turn.user))
            messages.append(("assistant", turn.assistant))
        }
        prompt += "Q: " + RE2Prompt.userText(question, reRead: reRead) + "\nA:"
        messages.append(("user", RE2Prompt.userText(question, reRead: reRead)))
        return Conversation(prompt: prompt, messages: messages, droppedTurns: dropped)
    }
}
