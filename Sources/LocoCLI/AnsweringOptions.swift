import ArgumentParser
import LocoAnswers

extension ChoiceAnswering: ExpressibleByArgument {}

/// How each question is answered: the flags `loco query` and `loco run` share (votes, early
/// stop, RE2, and how samples are drawn), checked the same way in both.
public struct AnsweringOptions: ParsableArguments {
    @Option(help: "Samples to draw and vote on per question (1: one greedy answer).")
    public var votes = 1

    @Flag(help: "With --votes: draw all N samples instead of stopping once the leader is safe.")
    public var noEarlyStop = false

    @Option(help: ArgumentHelp("With --votes: stop as soon as the leader is this sure by Adaptive-Consistency's Beta rule (0.5 < c < 1; 0.85: two agreeing samples suffice).", valueName: "c"))
    public var stopConfidence: Double?

    @Flag(help: "Ask each question once, without RE2.")
    public var noRe2 = false

    @Option(help: ArgumentHelp("A multiple-choice question (`choices`, or options laid out in lines lettered A, B, C…) answered by the base model: `score` has llama-server score each option and answers with the one the question makes likeliest; `generate` lets the model write its answer.", valueName: "how"))
    public var choices: ChoiceAnswering = .score

    @OptionGroup public var sampling: SamplingOptions

    public init() {}

    public func validate() throws {
        guard votes >= 1 else { throw ValidationError("--votes must be a positive whole number") }
        if let stopConfidence, let problem = MajorityVote.problem(withConfidence: stopConfidence) { throw ValidationError(problem) }
        if stopConfidence != nil && noEarlyStop { throw ValidationError("--stop-confidence stops early; it cannot go with --no-early-stop") }
    }
}
