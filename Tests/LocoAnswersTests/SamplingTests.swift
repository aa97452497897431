import Testing
import LocoAnswers

/// One rule for how samples are drawn, whichever command draws them.
@Suite struct SamplingTests {
    @Test func oneSampleIsGreedyAndSeveralSampleAtTheVotingTemperature() throws {
        let sampling = try Sampling(maxTokens: nil, temperature: nil, seed: nil, environment: [:])
        #expect(sampling.maxTokens == 256 && sampling.seed == nil)
        #expect(sampling.temperature(samples: 1) == 0)
        #expect(sampling.temperature(samples: 5) == 0.3, "the measured default (docs/voting.md)")
    }

    @Test func aTemperatureAskedForAppliesToEverySample() throws {
        let sampling = try Sampling(maxTokens: nil, temperature: 0.8, seed: 7, environment: [:])
        #expect(sampling.temperature(samples: 1) == 0.8 && sampling.temperature(samples: 5) == 0.8 && sampling.seed == 7)
        #expect(Sampling(temperature: 0).temperature(samples: 5) == 0, "greedy votes, when asked for")
    }

    @Test func flagsBeatTheEnvironmentAndTheEnvironmentBeatsTheDefaults() throws {
        let environment = ["LOCO_MAX_TOKENS": "64", "LOCO_TEMPERATURE": "0.7"]
        let fromEnvironment = try Sampling(maxTokens: nil, temperature: nil, seed: nil, environment: environment)
        #expect(fromEnvironment.maxTokens == 64 && fromEnvironment.temperature(samples: 1) == 0.7)
        let fromFlags = try Sampling(maxTokens: 32, temperature: 1, seed: nil, environment: environment)
        #expect(fromFlags.maxTokens == 32 && fromFlags.temperature(samples: 1) == 1)
    }

    @Test(arguments: [["LOCO_MAX_TOKENS": "0"], ["LOCO_MAX_TOKENS": "lots"], ["LOCO_TEMPERATURE": "-1"]])
    func aMalformedVariableIsNamed(environment: [String: String]) {
        #expect { try Sampling(maxTokens: nil, temperature: nil, seed: nil, environment: environment) } throws: {
            "\($0)".contains(environment.keys.first!)
        }
    }
}
