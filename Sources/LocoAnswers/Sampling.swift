import LocoKit

/// How samples are drawn, one rule for every command that generates: a temperature given (flag or
/// LOCO_TEMPERATURE) applies to every sample; without one, a single sample is greedy and several
/// are drawn at `defaultVotingTemperature`, since greedy samples would all be the same answer.
public struct Sampling: Equatable, Sendable {
    public static let defaultMaxTokens = 256

    public var maxTokens = Sampling.defaultMaxTokens
    /// The temperature asked for; nil leaves it to the number of samples.
    public var temperature: Double?
    /// Sample i uses seed + i; nil draws a random one per request.
    public var seed: Int?

    public init(maxTokens: Int = Sampling.defaultMaxTokens, temperature: Double? = nil, seed: Int? = nil) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.seed = seed
    }

    /// The temperature for `samples` samples of one question.
    public func temperature(samples: Int) -> Double { temperature ?? (samples > 1 ? defaultVotingTemperature : 0) }

    /// What the flags asked for (nil: not given), over LOCO_MAX_TOKENS and LOCO_TEMPERATURE; a
    /// malformed variable is a configuration error naming it.
    public init(maxTokens flagMaxTokens: Int?, temperature flagTemperature: Double?, seed: Int?, environment: [String: String]) throws {
        self.init(seed: seed)
        if let flagMaxTokens {
            maxTokens = flagMaxTokens
        } else if let text = environment["LOCO_MAX_TOKENS"], !text.isEmpty {
            guard let n = Int(text), n >= 1 else { throw ConfigError("LOCO_MAX_TOKENS must be a positive whole number, got '\(text)'") }
            maxTokens = n
        }
        if let flagTemperature {
            temperature = flagTemperature
        } else if let text = environment["LOCO_TEMPERATURE"], !text.isEmpty {
            guard let t = Double(text), t >= 0 else { throw ConfigError("LOCO_TEMPERATURE must be a number from 0, got '\(text)'") }
            temperature = t
        }
    }
}
