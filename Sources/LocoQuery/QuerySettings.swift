import Foundation
import LocoKit
import LocoAnswers

/// What `loco query` (and run, chat, eval) was asked for: the adapter or the router, how many
/// samples and when to stop, RE2, and how samples are drawn (`Sampling`: one greedy answer, or
/// several at a temperature).
public struct QuerySettings: Equatable {
    public var adapter: String?
    public var votes = 1
    public var earlyStop = true
    /// Early stop by Adaptive-Consistency's Beta rule as well (see MajorityVote.leaderConfidence).
    public var stopConfidence: Double?
    public var reRead = true
    /// A multiple-choice question's options scored by the engine, or its answer generated.
    public var choices: ChoiceAnswering = .score
    public var sampling = Sampling()
    public var logRoute = true

    public init() {}

    public var temperature: Double { sampling.temperature(samples: votes) }
}

extension QuerySettings {
    /// The settings the answering flags ask for, the environment's defaults already applied
    /// to `sampling`.
    public init(votes: Int, earlyStop: Bool, stopConfidence: Double?, reRead: Bool, sampling: Sampling, adapter: String?,
                choices: ChoiceAnswering = .score) {
        self.init()
        self.choices = choices
        self.adapter = adapter
        self.votes = votes
        self.earlyStop = earlyStop
        self.stopConfidence = stopConfidence
        self.reRead = reRead
        self.sampling = sampling
    }
}
