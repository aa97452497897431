import Foundation
import LocoGen
import LocoKit
import LocoPrompt
import LocoRoute
import LocoVote

/// `loco query` in one process: the question goes through the same four stages, under the same
/// record contract, as in `loco-route | loco-prompt | loco-gen | loco-vote`, so the record it ends
/// with is the one the pipe writes. What it saves is three process start-ups, three registry reads
/// and the pipes between them: a single query should cost what the engine takes, not more.
public struct QueryPipeline {
    public var route: RouteStage
    public var prompt: PromptStage
    public var generate: GenStage
    public var vote: VoteStage

    public init(route: RouteStage, prompt: PromptStage, generate: GenStage, vote: VoteStage) {
        self.route = route
        self.prompt = prompt
        self.generate = generate
        self.vote = vote
    }

    /// The finished record for `question`; an error record when a stage refused it.
    public mutating func answer(_ question: String) throws -> JSONObject {
        // The stages' own "line 1: ..." reports say nothing about a single question; the caller
        // prints the error record's message once.
        var runner = StageRunner()
        runner.maxErrorMessages = 0
        var line = JSONWriter.serialize(.object(["query": .string(question)]))
        line = try runner.process(line: line, number: 1, stage: &route).output
        line = try runner.process(line: line, number: 1, stage: &prompt).output
        line = try runner.process(line: line, number: 1, stage: &generate).output
        line = try runner.process(line: line, number: 1, stage: &vote).output
        guard case .object(let record) = try JSONParser.parse(line) else { throw ConfigError("internal: a stage wrote a non-object record") }
        return record
    }
}
