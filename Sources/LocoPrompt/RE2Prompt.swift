/// RE2 (Xu et al., EMNLP 2024): the question, then "Read the question again:" and the question
/// once more, so a decoder-only model sees the whole question while reading it the second time.
public enum RE2Prompt {
    public static func userText(_ query: String, reRead: Bool) -> String {
        reRead ? "\(query)\nRead the question again: \(query)" : query
    }

    /// The raw completion prompt for a base model with no chat template: the system prompt, then
    /// the paper's Q/A layout. The answer starts after "A:".
    public static func rawPrompt(_ query: String, system: String?, reRead: Bool) -> String {
        Conversation.build(system: system ?? "", history: [], question: query, reRead: reRead).prompt
    }

    /// Where a raw completion should stop: the model starting the next question.
    public static let rawStops = ["\nQ:", "\n\n\n"]
}
