import Foundation
import LocoGen
import LocoKit
import LocoPrompt
import LocoRoute
import LocoVote
import LocoAnswers
import LocoEngines
import LocoRegistry
import LocoScore

/// `loco query` in one process: the question goes through the same four stages, under the same
/// record contract, as in `loco-route | loco-prompt | loco-gen | loco-vote`, so the record it ends
/// with is the one the pipe writes. What it saves is three process start-ups, three registry reads
/// and the pipes between them: a single query should cost what the engine takes, not more.
public struct QueryPipeline {
    public var route: RouteStage
    public var prompt: PromptStage
    public var generate: GenStage
    public var vote: VoteStage
    /// loco run's and loco eval's last stage; loco query scores nothing.
    public var score: ScoreStage?

    public init(route: RouteStage, prompt: PromptStage, generate: GenStage, vote: VoteStage, score: ScoreStage? = nil) {
        self.route = route
        self.prompt = prompt
        self.generate = generate
        self.vote = vote
        self.score = score
    }

    /// What follows routing, as one chain: prompt, generate, vote, and score when there is one.
    public var answering: StageChain { StageChain([prompt, generate, vote] + (score.map { [$0] } ?? [])) }

    /// The stages as the four tools would set themselves up for `settings`: the router (none
    /// needed when an adapter is forced), RE2, the engine with each adapter's LoRA or served
    /// model, early stop reading answers as loco-vote does, and the routing log.
    /// `scoring`: add loco-score's stage with this metric (`auto`: each record's own), and read
    /// answers for the vote as the metric does.
    public init(registry: Registry, routerModel: RouterModel?, engines: Engines, settings: QuerySettings,
                routingLog: RoutingLog? = nil, scoring: Metric? = nil) throws {
        route = try RouteStage(registry: registry, routerModel: routerModel, forcedAdapter: settings.adapter,
                               unusable: engines.unusableAdapters(registry), routingLog: routingLog)
        prompt = PromptStage(registry: registry, reRead: settings.reRead)
        generate = GenStage(engines: engines, registry: registry, samples: settings.votes, temperature: settings.temperature,
                            seed: settings.sampling.seed, maxTokens: settings.sampling.maxTokens, earlyStop: settings.votes > 1 && settings.earlyStop,
                            stopConfidence: settings.votes > 1 && settings.earlyStop ? settings.stopConfidence : nil)
        generate.choices = settings.choices
        vote = VoteStage(registry: registry)
        // One sandbox for the early stop's programs and the vote's.
        vote.programs = generate.programs
        if let scoring {
            score = ScoreStage(metric: scoring)
            vote.metricFormat = scoring.answerFormat
        }
    }

    /// loco grade's composition: the answers are the students' own, so of the five stages only
    /// loco-score's runs, marking as a teacher does: a one-word answer may be misspelt a little
    /// (`typos`), and code earns a share of the marks for each test it passes.
    public static func grading(typos: Bool) -> ScoreStage {
        var score = ScoreStage()
        score.typos = typos
        score.partialCode = true
        return score
    }

    /// The finished record for `question`; an error record when a stage refused it.
    public mutating func answer(_ question: String) throws -> JSONObject {
        // The stages' own "line 1: ..." reports say nothing about a single question; the caller
        // prints the error record's message once.
        var chain = StageChain([route, prompt, generate, vote])
        chain.reportsErrors = false
        var record: JSONObject = ["query": .string(question)]
        try chain.process(&record, line: 1)
        return record
    }
}
