import Foundation
import LocoKit

/// The router a tool uses unless told otherwise: the classifier when its model file is found
/// (`LOCO_ROUTER_MODEL`, else `router/model.json` beside the registry), the keyword router
/// otherwise; each with the threshold chosen on the training split (docs/routing.md).
public enum StandardRouter {
    public enum Kind: String, CaseIterable, Sendable {
        case keyword, classifier

        public var defaultThreshold: Double {
            switch self {
            case .keyword: 0.2
            case .classifier: 0.3
            }
        }
    }

    public static func modelURL(registry: Registry, explicit: String? = nil,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        modelURL(registryLocation: registry.location, explicit: explicit, environment: environment)
    }

    /// The same, from where the registry file is, before it is read.
    public static func modelURL(registryLocation: URL?, explicit: String? = nil,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let path = explicit ?? environment["LOCO_ROUTER_MODEL"] { return URL(fileURLWithPath: path) }
        return registryLocation?.deletingLastPathComponent().appendingPathComponent("router/model.json")
    }

    /// The registry and the router model (nil when there is no model file, or `needsModel` is
    /// false), read side by side: each costs milliseconds, and a routed query waits for both.
    public static func load(registry explicitRegistry: String?, model explicitModel: String? = nil, needsModel: Bool = true,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (Registry, RouterModel?) {
        let registryURL = try Registry.locate(explicit: explicitRegistry, environment: environment)
        let model = Loading<RouterModel>()
        let done = DispatchSemaphore(value: 0)
        let modelURL = needsModel ? modelURL(registryLocation: registryURL, explicit: explicitModel, environment: environment) : nil
        if let modelURL, FileManager.default.fileExists(atPath: modelURL.path) {
            DispatchQueue.global().async {
                model.result = Result { try RouterModel.load(modelURL) }
                done.signal()
            }
        } else {
            done.signal()
        }
        let registry = Result { try Registry.load(registryURL) }
        done.wait()
        return (try registry.get(), try model.result?.get())
    }

    /// Written by the loading thread before it signals, read after the wait.
    private final class Loading<T>: @unchecked Sendable {
        var result: Result<T, Error>?
    }

    /// The router and its threshold. A model named explicitly must load; the default one is
    /// used when present. `loaded` is that model when the caller has read it already.
    public static func make(registry: Registry, kind requested: Kind? = nil, model explicit: String? = nil, threshold: Double? = nil,
                            explains: Bool = false, loaded: RouterModel? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (any QueryRouter, Double) {
        let named = explicit != nil || environment["LOCO_ROUTER_MODEL"] != nil
        let url = modelURL(registry: registry, explicit: explicit, environment: environment)
        let kind = requested ?? ((named || url.map { FileManager.default.fileExists(atPath: $0.path) } == true) ? .classifier : .keyword)
        switch kind {
        case .keyword:
            return (KeywordRouter(registry: registry), threshold ?? kind.defaultThreshold)
        case .classifier:
            guard let url else { throw ConfigError("the classifier router needs --model FILE") }
            let model = try loaded ?? RouterModel.load(url)
            let unknown = model.labels.compactMap { $0 }.filter { registry[$0] == nil }
            if !unknown.isEmpty {
                throw ConfigError("router model \(url.path) routes to \(unknown.joined(separator: ", ")), which the registry does not have; retrain it with `loco-route train`")
            }
            return (ClassifierRouter(model: model, explains: explains), threshold ?? kind.defaultThreshold)
        }
    }
}
