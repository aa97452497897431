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
    public func applying(threshold: Double) -> RouteDecision {
        guard let adapter, confidence < threshold else { return self }
        var decision = self
        decision.adapter = nil
        decision.fallback = "\(adapter) led with confidence \(RouteDecision.format(confidence)), below the threshold \(RouteDecision.format(threshold))"
        return decision
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// The name a base-model route has in `scores` and in training data labels.
public let baseCandidate = "base"

/// One way of choosing an adapter for a query: the keyword router or the trained classifier.
public protocol QueryRouter {
    /// `keyword` or `classifier`, as recorded in `route.router`.
    var kind: String { get }
    func route(_ query: String) -> RouteDecision
}
