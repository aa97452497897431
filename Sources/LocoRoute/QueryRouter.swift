/// What a router decided for one query, and why.
public struct RouteDecision: Equatable, Sendable {
    /// The adapter to use, or nil for the base model.
    public var adapter: String?
    /// Per candidate (adapter name, or `base`): keyword weights summed, or class probabilities.
    public var scores: [String: Double]
    /// How far the winner is ahead of the runner-up, from 0 (a tie, or nothing known) to 1.
    public var confidence: Double
    /// What fired: keywords with their weights, or the features that pushed the winner most.
    public var evidence: [Evidence]
    /// Set when the router had a winner but gave the query to the base model anyway.
    public var fallback: String?
    /// Set when another router than the one asked for decided (the embedding router's engine
    /// could not answer, so the word classifier routed), with why.
    public var decidedBy: String?
    /// The threshold of the router that decided, when it is not the one asked for: it applies
    /// instead (the classifier standing in for the embedding router keeps its own).
    public var threshold: Double?
    public var note: String?
    /// The request told apart from what it carries, when the router reads queries so (`--explain`).
    public var split: RequestSplit?

    public struct Evidence: Equatable, Sendable {
        public var candidate: String
        public var feature: String
        public var weight: Double
    }

    public init(adapter: String?, scores: [String: Double], confidence: Double, evidence: [Evidence] = [], fallback: String? = nil) {
        self.adapter = adapter
        self.scores = scores
        self.confidence = confidence
        self.evidence = evidence
        self.fallback = fallback
    }

    /// Below `threshold` the query goes to the base model: a wrong specialist costs more than none.
    public func applying(threshold asked: Double) -> RouteDecision {
        let threshold = self.threshold ?? asked
        guard let adapter, confidence < threshold else { return self }
        var decision = self
        decision.adapter = nil
        decision.fallback = "\(adapter) led with confidence \(RouteDecision.format(confidence)), below the threshold \(RouteDecision.format(threshold))"
        return decision
    }

    /// Two routers' probabilities for the same query averaged, then read as either is: dense and
    /// sparse together, as semantic-router's hybrid router combines them.
    public static func averaging(_ first: [String: Double], _ second: [String: Double]) -> RouteDecision {
        var scores: [String: Double] = [:]
        for label in Set(first.keys).union(second.keys) { scores[label] = ((first[label] ?? 0) + (second[label] ?? 0)) / 2 }
        let order = scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let lead = (order.first?.value ?? 0) - (order.dropFirst().first?.value ?? 0)
        let best = order.first?.key
        return RouteDecision(adapter: best == baseCandidate ? nil : best, scores: scores, confidence: lead)
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// The name a base-model route has in `scores` and in training data labels.
public let baseCandidate = "base"

/// One way of choosing an adapter for a query: the keyword router, the trained classifier, or
/// the embedding head (alone or with the classifier).
public protocol QueryRouter {
    /// `keyword`, `classifier`, `embedding` or `hybrid`, as recorded in `route.router`.
    var kind: String { get }
    func route(_ query: String) -> RouteDecision
    /// How many queries `prefetch` takes at once; 0 for a router that needs no server.
    var batchSize: Int { get }
    /// Readies the answers for queries `route` will be asked next, in one request.
    func prefetch(_ queries: [String])
}

extension QueryRouter {
    public var batchSize: Int { 0 }
    public func prefetch(_ queries: [String]) {}
}
