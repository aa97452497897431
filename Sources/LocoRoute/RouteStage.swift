import LocoKit

/// `loco-route`: adds `adapter` and `route` {router, scores, confidence}.
///
/// Precedence: a record's own non-null `adapter` field, then `--adapter`, then the router.
public struct RouteStage: Stage {
    public let name = "loco-route"
    public var router: KeywordRouter
    public var registry: Registry
    public var forcedAdapter: String?

    public init(registry: Registry, forcedAdapter: String? = nil) throws {
        if let forcedAdapter, forcedAdapter != "none", registry[forcedAdapter] == nil {
            throw ConfigError("unknown adapter '\(forcedAdapter)': the registry has \(registry.names.joined(separator: ", "))")
        }
        self.registry = registry
        self.router = KeywordRouter(registry: registry)
        self.forcedAdapter = forcedAdapter
    }

    public mutating func process(_ record: inout JSONObject, line: Int) throws {
        if record["adapter"] != nil {
            // Present, even as null (the base model): the user's choice is final.
            if let own = try record.optionalString("adapter"), registry[own] == nil {
                throw RecordError("unknown adapter '\(own)' (known: \(registry.names.joined(separator: ", ")))", field: "adapter")
            }
            record["route"] = ["router": "record", "scores": .object(JSONObject()), "confidence": 1.0]
            return
        }
        if let forcedAdapter {
            record["adapter"] = forcedAdapter == "none" ? .null : .string(forcedAdapter)
            record["route"] = ["router": "forced", "scores": .object(JSONObject()), "confidence": 1.0]
            return
        }
        let query = try record.requireString("query")
        let decision = router.route(query)
        record["adapter"] = JSONValue(decision.adapter)
        let scores = JSONObject(decision.scores.sorted { $0.key < $1.key }.map { ($0.key, JSONValue($0.value)) })
        record["route"] = ["router": "keyword", "scores": .object(scores), "confidence": JSONValue(decision.confidence)]
    }
}
