import ArgumentParser
import LocoAnswers

/// How each question is answered: the flags `loco query` and `loco run` share (votes, early
/// stop, RE2, token budget, voting temperature), checked the same way in both.
public struct AnsweringOptions: ParsableArguments {
    @Option(help: "Samples to draw and vote on per question (1: one greedy answer).")
    public var votes = 1

    @Flag(help: "With --votes: draw all N samples instead of stopping once the leader is safe.")
    public var noEarlyStop = false

    @Option(help: ArgumentHelp("With --votes: stop as soon as the leader is this sure by Adaptive-Consistency's Beta rule (0.5 < c < 1; 0.85: two agreeing samples suffice).", valueName: "c"))
    public var stopConfidence: Double?

    @Flag(help: "Ask each question once, without RE2.")
    public var noRe2 = false

    @Option(help: ArgumentHelp("Most tokens per sample. [env: LOCO_MAX_TOKENS; default: 256]", valueName: "n"))
    public var maxTokens: Int?

    @Option(help: ArgumentHelp("Sampling temperature for --votes above 1 (one vote is greedy). [env: LOCO_TEMPERATURE; default: 0.3]", valueName: "t"))
    public var temperature: Double?

    public init() {}

    public func validate() throws {
        guard votes >= 1 else { throw ValidationError("--votes must be a positive whole number") }
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if let temperature, temperature < 0 { throw ValidationError("--temperature cannot be negative") }
        if let stopConfidence, let problem = MajorityVote.problem(withConfidence: stopConfidence) { throw ValidationError(problem) }
        if stopConfidence != nil && noEarlyStop { throw ValidationError("--stop-confidence stops early; it cannot go with --no-early-stop") }
    }
}
