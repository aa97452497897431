import Foundation
import LocoKit
import LocoAnswers
import LocoEngines

extension GenStage {
    /// The options to score for this record and the request they follow (its `choice_prompt`
    /// where loco-prompt wrote one), or nil when it is answered by generating: scoring is asked
    /// for, the engine can score, the prompt is raw, and the answer is read as a choice.
    func scorableOptions(of record: JSONObject, request: GenerationRequest) throws -> (options: [String], request: GenerationRequest)? {
        guard choices == .score, backend is ContinuationScoring, request.prompt != nil else { return nil }
        let context = try AnswerExtractor.Context(of: record, registry: registry)
        // Answers name options by letter, A to J (AnswerExtractor.choice): more are written about, not scored.
        guard (2...AnswerExtractor.optionLetterCount).contains(context.choices.count) else { return nil }
        let format = try answerFormat ?? AnswerExtractor.Format(for: record.optionalString(.adapter), registry: registry, context: context)
        guard format == .choice else { return nil }
        var scoring = request
        if let prompt = try record.optionalString(.choicePrompt) { scoring.prompt = prompt }
        return (context.choices, scoring)
    }

    /// One sample: the likeliest option as "B. its text", with every option's score beside it.
    func score(_ options: [String], request: GenerationRequest, line: Int) throws -> Sample {
        guard let scorer = backend as? ContinuationScoring else { throw EngineError.badResponse("\(backend.name) cannot score options") }
        let start = DispatchTime.now()
        let retry = self.retry
        let scores = try options.map { option in
            try retry.run({ try scorer.score(ChoiceScore.continuation(option), after: request) }) { attempt, error, wait in
                printError("loco-gen: line \(line): \(error); retry \(attempt) of \(retry.retries) in \(String(format: "%.1f", wait)) s")
            }
        }
        let values = scores.map(ChoiceScore.value)
        let best = values.indices.max { values[$0] < values[$1] }!
        var sample = Sample(text: "\(AnswerExtractor.optionLetter(best)). \(options[best])", tokens: 0, ms: elapsedMilliseconds(since: start), doneReason: "scored")
        sample.optionScores = values
        return sample
    }
}

/// What is scored for an option, and how its score is read.
enum ChoiceScore {
    /// The option's own text after the answer marker, as the model would write it.
    static func continuation(_ option: String) -> String { " " + option }

    /// The option's log likelihood, its tokens' log probabilities summed (lm-evaluation-harness's
    /// `acc`). Chosen on ARC-Easy and CommonsenseQA, 100 questions each, which no reported
    /// benchmark holds: 69 of the 200 right, as many as the mean per token and more than per
    /// byte's 59 (docs/record-format.md).
    static func value(_ score: ContinuationScore) -> Double { score.logprob }
}
