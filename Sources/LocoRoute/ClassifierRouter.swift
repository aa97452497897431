/// Routes with a trained `RouterModel`: the most probable label wins; confidence is its lead
/// over the runner-up in probability.
public struct ClassifierRouter: QueryRouter {
    public let kind = "classifier"
    public let model: RouterModel
    /// Fill `evidence` (costs a second pass over the query's features; only for `--explain`).
    public var explains = false

    public init(model: RouterModel, explains: Bool = false) {
        self.model = model
        self.explains = explains
    }

    public func route(_ query: String) -> RouteDecision {
        if query.allSatisfy(\.isWhitespace) {
            return RouteDecision(adapter: nil, scores: [:], confidence: 0, fallback: "the query is empty")
        }
        let probabilities = model.probabilities(query)
        var scores: [String: Double] = [:]
        for (label, probability) in probabilities.enumerated() { scores[model.candidateName(label)] = probability }
        let ranked = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
        let best = ranked[0]
        let lead = probabilities[best] - (ranked.count > 1 ? probabilities[ranked[1]] : 0)
        let evidence = explains
            ? model.strongestFeatures(query, for: best).map { RouteDecision.Evidence(candidate: model.candidateName(best), feature: $0.0, weight: $0.1) }
            : []
        var decision = RouteDecision(adapter: model.labels[best], scores: scores, confidence: lead, evidence: evidence)
        if explains && model.reading == .requestAndPayload { decision.split = RequestSplit(query) }
        return decision
    }
}
