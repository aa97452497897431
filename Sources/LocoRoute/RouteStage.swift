import LocoKit
import LocoRegistry

/// `loco-route`: adds `adapter` and `route` {router, scores, confidence, fallback?, note?, explain?}.
///
/// Precedence: a record's own `adapter` field (even null), then `--adapter`, then the router,
/// whose choice stands only when its confidence reaches the threshold.
public struct RouteStage: Stage {
    public let name = "loco-route"
    public var router: any QueryRouter
    public var registry: Registry
    public var forcedAdapter: String?
    public var threshold: Double
    public var explain: Bool
    /// Called with each routed record (query, decision, who decided), e.g. to keep the routing log.
    public var onRoute: ((String, String?, JSONObject) throws -> Void)?
    /// Adapters the engine in use cannot apply (a LoRA trained for another base), with the reason:
    /// the router's choice of one falls back to the base model, and `route.fallback` says why.
    public var unusable: [String: String] = [:]

    public init(registry: Registry, router: (any QueryRouter)? = nil, forcedAdapter: String? = nil,
                threshold: Double = 0, explain: Bool = false) throws {
        if let forcedAdapter, forcedAdapter != "none", registry[forcedAdapter] == nil {
            throw ConfigError("unknown adapter '\(forcedAdapter)': the registry has \(registry.names.joined(separator: ", "))")
        }
        self.registry = registry
        self.router = try router ?? FormRouter.wrapping(KeywordRouter(registry: registry), registry: registry)
        self.forcedAdapter = forcedAdapter
        self.threshold = threshold
        self.explain = explain
    }

    /// The stage as the commands that answer set it up (loco query, loco run, loco eval, loco
    /// chat): the standard router, or none when an adapter is forced; the adapters the engines
    /// cannot apply; each route appended to the routing log when there is one.
    public init(registry: Registry, routerModel: RouterModel?, forcedAdapter: String?, unusable: [String: String],
                routingLog: RoutingLog?) throws {
        let (router, threshold) = forcedAdapter == nil ? try StandardRouter.make(registry: registry, loaded: routerModel)
                                                       : (KeywordRouter(registry: registry), 0)
        try self.init(registry: registry, router: router, forcedAdapter: forcedAdapter, threshold: threshold)
        self.unusable = unusable
        if let routingLog {
            onRoute = { query, adapter, route in _ = try routingLog.append(query: query, adapter: adapter, route: route) }
        }
    }

    public var lookahead: Int { forcedAdapter == nil ? router.batchSize : 0 }

    /// The router's queries for the records it will be asked about, at once.
    public mutating func prepare(_ records: [JSONObject]) {
        router.prefetch(records.filter { $0[.adapter] == nil && !$0.hasError }.compactMap { $0[.query]?.stringValue })
    }

    public mutating func process(_ record: inout JSONObject, line: Int) throws {
        if record[.adapter] != nil {
            // Present, even as null (the base model): the user's choice is final.
            let own = try record.optionalString(.adapter)
            if let own, registry[own] == nil {
                throw RecordError("unknown adapter '\(own)' (known: \(registry.names.joined(separator: ", ")), or null for the base model)", field: .adapter)
            }
            record[.route] = ["router": "record", "scores": .object(JSONObject()), "confidence": 1.0]
            try log(record, adapter: own)
            return
        }
        if let forcedAdapter {
            let adapter = forcedAdapter == "none" ? nil : forcedAdapter
            record[.adapter] = JSONValue(adapter)
            record[.route] = ["router": "forced", "scores": .object(JSONObject()), "confidence": 1.0]
            try log(record, adapter: adapter)
            return
        }
        let query = try record.requireString(.query)
        var decision = router.route(query).applying(threshold: threshold)
        if let adapter = decision.adapter, let why = unusable[adapter] {
            decision.adapter = nil
            decision.fallback = why
        }
        if let adapter = decision.adapter, registry[adapter] == nil {
            throw RecordError("the \(router.kind) router chose '\(adapter)', which the registry does not have (known: \(registry.names.joined(separator: ", "))); retrain the router or use --router keyword", field: .adapter)
        }
        record[.adapter] = JSONValue(decision.adapter)
        var route: JSONObject = [
            "router": .string(decision.decidedBy ?? router.kind),
            "scores": .object(JSONObject(decision.scores.sorted { $0.key < $1.key }.map { ($0.key, JSONValue(RouterEvaluation.round($0.value))) })),
            "confidence": JSONValue(RouterEvaluation.round(decision.confidence)),
        ]
        if let fallback = decision.fallback { route["fallback"] = .string(fallback) }
        if let note = decision.note { route["note"] = .string(note) }
        if explain {
            route["threshold"] = JSONValue(decision.threshold ?? threshold)
            route["explain"] = .array(decision.evidence.map {
                ["candidate": .string($0.candidate), "feature": .string($0.feature), "weight": JSONValue(RouterEvaluation.round($0.weight))]
            })
            if let split = decision.split {
                var read: JSONObject = ["request": .string(split.request)]
                if let kind = split.kind {
                    read["carries"] = .string(kind.rawValue)
                    read["payload"] = .string(split.payload)
                    read["found"] = .string(split.found ?? "")
                }
                route["split"] = .object(read)
            }
        }
        record[.route] = .object(route)
        try log(record, adapter: decision.adapter)
    }

    private func log(_ record: JSONObject, adapter: String?) throws {
        guard let onRoute, let query = record[.query]?.stringValue else { return }
        try onRoute(query, adapter, record[.route]?.objectValue ?? JSONObject())
    }
}
