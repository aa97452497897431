/// How loco-gen answers a multiple-choice question (`choices`, or options the query lays out in
/// lettered lines) whose answer is read as a choice.
public enum ChoiceAnswering: String, CaseIterable, Sendable {
    /// The engine scores each option's likelihood after the prompt, less after no question, and
    /// the option the question makes likeliest is the answer: a small model that rambles past the
    /// letter, or names none, still chooses. Engines that cannot score (Ollama, OpenAI-compatible) generate.
    case score
    /// The model writes its answer, as for any other question.
    case generate
}
