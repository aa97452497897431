import ArgumentParser
import Foundation
import LocoAnswers

/// `--max-tokens`, for every command that generates (loco eval takes only this one: its passes
/// are greedy with seed 1 by definition, its votes at LOCO_TEMPERATURE).
public struct TokenBudgetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Most tokens per sample. [env: LOCO_MAX_TOKENS; default: \(Sampling.defaultMaxTokens)]", valueName: "n"))
    public var maxTokens: Int?

    public init() {}

    public func validate() throws {
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
    }
}

/// How samples are drawn: the flags loco-gen, loco query, loco run and loco chat share, with one
/// meaning in all four (`Sampling` holds the rule).
public struct SamplingOptions: ParsableArguments {
    @OptionGroup public var budget: TokenBudgetOptions

    @Option(help: ArgumentHelp("Sampling temperature of every sample. [env: LOCO_TEMPERATURE; default: 0 (greedy) for one sample, \(defaultVotingTemperature) for several]", valueName: "t"))
    public var temperature: Double?

    @Option(help: ArgumentHelp("Random seed; sample i uses seed + i. [default: drawn at random]", valueName: "n"))
    public var seed: Int?

    public init() {}

    public func validate() throws {
        if let temperature, temperature < 0 { throw ValidationError("--temperature cannot be negative") }
    }

    /// The flags over the environment's defaults.
    public func sampling(seed drawn: Int? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Sampling {
        try Sampling(maxTokens: budget.maxTokens, temperature: temperature, seed: seed ?? drawn, environment: environment)
    }
}
