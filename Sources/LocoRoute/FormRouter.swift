import LocoKit
import LocoRegistry

/// Sends a query of a form an adapter claims (`router_forms` in the registry) to that adapter, and
/// any other query to the router it wraps. A form is read from the text's shape, not learned, so it
/// holds for sources no router was trained on; the route says so (`route.router` is `form`, and
/// `route.note` shows what was read).
public struct FormRouter: QueryRouter {
    public var inner: any QueryRouter
    /// Each form with the adapter that claims it, tried in this order.
    public var forms: [(form: QueryForm, adapter: String)]

    public init(inner: any QueryRouter, forms: [(form: QueryForm, adapter: String)]) {
        self.inner = inner
        self.forms = forms
    }

    public var kind: String { inner.kind }
    public var batchSize: Int { inner.batchSize }
    public func prefetch(_ queries: [String]) { inner.prefetch(queries) }

    public func route(_ query: String) -> RouteDecision {
        for (form, adapter) in forms {
            guard let found = form.match(query) else { continue }
            var decision = RouteDecision(adapter: adapter, scores: [adapter: 1], confidence: 1,
                                         evidence: [.init(candidate: adapter, feature: "form:\(form.rawValue)", weight: 1)])
            decision.decidedBy = "form"
            decision.note = "\(form.summary), \(found): \(adapter) claims it (router_forms)"
            return decision
        }
        return inner.route(query)
    }

    /// The forms the registry's adapters claim. A form LocoLLM does not know, or one claimed twice,
    /// is an error in the registry.
    public static func forms(in registry: Registry) throws -> [(form: QueryForm, adapter: String)] {
        var claimed: [(form: QueryForm, adapter: String)] = []
        for name in registry.names {
            for word in registry[name]!.routerForms ?? [] {
                guard let form = QueryForm(rawValue: word) else {
                    throw ConfigError("adapter '\(name)' claims the router form '\(word)', which LocoLLM does not know (known: \(QueryForm.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                if let other = claimed.first(where: { $0.form == form }) {
                    throw ConfigError("adapters '\(other.adapter)' and '\(name)' both claim the router form '\(word)': one form routes to one adapter")
                }
                claimed.append((form, name))
            }
        }
        return claimed.sorted { $0.form.rawValue < $1.form.rawValue }
    }

    /// `router` behind the registry's forms, or `router` itself when no adapter claims any.
    public static func wrapping(_ router: any QueryRouter, registry: Registry) throws -> any QueryRouter {
        let forms = try forms(in: registry)
        return forms.isEmpty ? router : FormRouter(inner: router, forms: forms)
    }
}
