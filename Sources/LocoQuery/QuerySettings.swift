import Foundation
import LocoKit
import LocoAnswers

/// What `loco query` was asked for, with the environment's defaults applied (LOCO_MAX_TOKENS,
/// LOCO_TEMPERATURE): one greedy answer, or N samples at a temperature with early stop.
public struct QuerySettings: Equatable {
    public var adapter: String?
    public var votes = 1
    public var earlyStop = true
    /// Early stop by Adaptive-Consistency's Beta rule as well (see MajorityVote.leaderConfidence).
    public var stopConfidence: Double?
    public var reRead = true
    public var seed: Int?
    public var maxTokens = 256
    /// Used only when `votes` > 1; one vote is greedy.
    public var votingTemperature = defaultVotingTemperature
    public var logRoute = true

    public init() {}

    public var temperature: Double { votes > 1 ? votingTemperature : 0 }

    /// Fills what the flags left open from the environment; a malformed value is a configuration
    /// error naming the variable.
    public mutating func applyDefaults(maxTokens flag: Int?, temperature flagTemperature: Double?, environment: [String: String]) throws {
        if let flag {
            maxTokens = flag
        } else if let text = environment["LOCO_MAX_TOKENS"], !text.isEmpty {
            guard let n = Int(text), n >= 1 else { throw ConfigError("LOCO_MAX_TOKENS must be a positive whole number, got '\(text)'") }
            maxTokens = n
        }
        if let flagTemperature {
            votingTemperature = flagTemperature
        } else if let text = environment["LOCO_TEMPERATURE"], !text.isEmpty {
            guard let t = Double(text), t >= 0 else { throw ConfigError("LOCO_TEMPERATURE must be a number from 0, got '\(text)'") }
            votingTemperature = t
        }
    }
}

extension QuerySettings {
    /// The settings the answering flags ask for (`AnsweringOptions`: unset flags are nil), the
    /// environment's defaults applied.
    public init(votes: Int, earlyStop: Bool, stopConfidence: Double?, reRead: Bool, maxTokens: Int?, temperature: Double?,
                adapter: String?, seed: Int?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.init()
        self.adapter = adapter
        self.votes = votes
        self.earlyStop = earlyStop
        self.stopConfidence = stopConfidence
        self.reRead = reRead
        self.seed = seed
        try applyDefaults(maxTokens: maxTokens, temperature: temperature, environment: environment)
    }
}
