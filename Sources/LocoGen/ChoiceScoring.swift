import Foundation
import LocoKit
import LocoAnswers
import LocoEngines

extension GenStage {
    /// The options to score for this record, the request they follow (its `choice_prompt` where
    /// loco-prompt wrote one) and the one with no question (its `choice_null_prompt`), or nil
    /// when it is answered by generating: scoring is asked for, the engine can score, the prompt
    /// is raw, and the answer is read as a choice.
    func scorableOptions(of record: JSONObject, request: GenerationRequest) throws -> ScorableOptions? {
        guard choices == .score, backend is ContinuationScoring, request.prompt != nil else { return nil }
        let context = try AnswerExtractor.Context(of: record, registry: registry)
        // Answers name options by letter, A to J (AnswerExtractor.choice): more are written about, not scored.
        guard (2...AnswerExtractor.optionLetterCount).contains(context.choices.count) else { return nil }
        let format = try answerFormat ?? AnswerExtractor.Format(for: record.optionalString(.adapter), registry: registry, context: context)
        guard format == .choice else { return nil }
        var scoring = request
        if let prompt = try record.optionalString(.choicePrompt) { scoring.prompt = prompt }
        let null = try record.optionalString(.choiceNullPrompt).map { prompt -> GenerationRequest in
            var alone = request
            alone.prompt = prompt
            return alone
        }
        return ScorableOptions(options: context.choices, request: scoring, nullRequest: null)
    }

    /// One sample: the best option as "B. its text", with every option's score beside it.
    func score(_ scorable: ScorableOptions, line: Int) throws -> Sample {
        guard let scorer = backend as? ContinuationScoring else { throw EngineError.badResponse("\(backend.name) cannot score options") }
        let start = DispatchTime.now()
        let retry = self.retry
        func scores(_ options: [String], after request: GenerationRequest) throws -> [ContinuationScore] {
            try retry.run({ try scorer.score(options.map(ChoiceScore.continuation), after: [request])[0] }) { attempt, error, wait in
                printError("loco-gen: line \(line): \(error); retry \(attempt) of \(retry.retries) in \(String(format: "%.1f", wait)) s")
            }
        }
        let asked = try scores(scorable.options, after: scorable.request)
        // After no question an option scores the same in every question of a run (a quiz's "True"
        // and "False", a survey's scale): each is asked for once.
        let alone = try scorable.nullRequest.map { null in
            try nullScores.scores(scorable.options, after: null) { missing in try scores(missing, after: null) }
        }
        let values = asked.indices.map { ChoiceScore.value(asked[$0], alone: alone?[$0]) }
        let best = values.indices.max { values[$0] < values[$1] }!
        var sample = Sample(text: "\(AnswerExtractor.optionLetter(best)). \(scorable.options[best])", tokens: 0, ms: elapsedMilliseconds(since: start), doneReason: "scored")
        sample.optionScores = values
        return sample
    }
}

/// A multiple choice loco-gen scores: its options, the request they answer, and the same request
/// with no question (nil for a record loco-prompt did not write one for).
struct ScorableOptions {
    var options: [String]
    var request: GenerationRequest
    var nullRequest: GenerationRequest?
}

/// What is scored for an option, and how its score is read.
enum ChoiceScore {
    /// The option's own text after the answer marker, as the model would write it.
    static func continuation(_ option: String) -> String { " " + option }

    /// The option's log likelihood after the question (its tokens' log probabilities summed, as
    /// lm-evaluation-harness's `acc`) less its log likelihood after no question, where there is
    /// one: how much the question raises it (domain-conditional PMI, Holtzman et al. 2021). An
    /// option the model finds likely whatever is asked ("yes", a short common word) no longer
    /// wins for that. Chosen on ARC-Easy and CommonsenseQA, 100 questions each, and confirmed on
    /// SocialIQA, none of which a reported benchmark holds (docs/record-format.md).
    static func value(_ asked: ContinuationScore, alone: ContinuationScore?) -> Double {
        asked.logprob - (alone?.logprob ?? 0)
    }
}

/// Each option's score after a prompt with no question, kept for the run: that prompt is the
/// same for every question an adapter answers, so an option seen before is not scored again.
final class NullScoreCache: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [String: ContinuationScore] = [:]

    private func key(_ option: String, _ request: GenerationRequest) -> String {
        [request.prompt ?? "", request.model ?? "", request.lora?.path ?? "", option].joined(separator: "\u{0}")
    }

    /// Each option's score after `request`: those not kept yet are scored (each once) and kept.
    func scores(_ options: [String], after request: GenerationRequest,
                scoring: ([String]) throws -> [ContinuationScore]) throws -> [ContinuationScore] {
        var seen = Set<String>()
        let missing = lock.withLock { options.filter { kept[key($0, request)] == nil && seen.insert($0).inserted } }
        let scored = missing.isEmpty ? [] : try scoring(missing)
        guard scored.count == missing.count else { throw EngineError.badResponse("\(missing.count) options asked, \(scored.count) scored") }
        return lock.withLock {
            for (option, score) in zip(missing, scored) { kept[key(option, request)] = score }
            return options.map { kept[key($0, request)]! }
        }
    }
}
