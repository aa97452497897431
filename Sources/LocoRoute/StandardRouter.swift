import Foundation
import LocoKit
import LocoRegistry

/// The router a tool uses unless told otherwise: the classifier when its model file is found
/// (`LOCO_ROUTER_MODEL`, else `router/model.json` beside the registry), the keyword router
/// otherwise; the embedding and hybrid routers only when asked for (cross-source they measured
/// below the classifier, docs/routing.md).
public enum StandardRouter {
    public enum Kind: String, CaseIterable, Sendable {
        case keyword, classifier, embedding, hybrid

        /// The classifier's was chosen on the development half of the leave-one-source-out folds
        /// (docs/routing.md); the others on all of them.
        public var defaultThreshold: Double {
            switch self {
            case .keyword: 0.2
            case .classifier: 0.05
            case .embedding, .hybrid: 0.3
            }
        }
    }

    /// Where an embedding router gets its vectors: a name for notes ("llama-server at URL") and
    /// the call, many texts per request.
    public struct Embedder: Sendable {
        public var name: String
        public var embed: @Sendable ([String]) throws -> [[Double]]

        public init(name: String, embed: @escaping @Sendable ([String]) throws -> [[Double]]) {
            self.name = name
            self.embed = embed
        }
    }

    /// The embedding head: `explicit`, else `$LOCO_ROUTER_HEAD`, else `router/embedding-head.json`
    /// beside the registry.
    public static func headURL(registry: Registry, explicit: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let path = explicit ?? environment["LOCO_ROUTER_HEAD"] { return URL(fileURLWithPath: path) }
        return registry.location?.deletingLastPathComponent().appendingPathComponent("router/embedding-head.json")
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

    private static func classifier(registry: Registry, url: URL?, explains: Bool, loaded: RouterModel?) throws -> ClassifierRouter {
        guard let url else { throw ConfigError("the classifier router needs --model FILE") }
        let model = try loaded ?? RouterModel.load(url)
        let unknown = model.labels.compactMap { $0 }.filter { registry[$0] == nil }
        if !unknown.isEmpty {
            throw ConfigError("router model \(url.path) routes to \(unknown.joined(separator: ", ")), which the registry does not have; retrain it with `loco-route train`")
        }
        return ClassifierRouter(model: model, explains: explains)
    }

    /// Written by the loading thread before it signals, read after the wait.
    private final class Loading<T>: @unchecked Sendable {
        var result: Result<T, Error>?
    }

    /// The router and its threshold, behind the forms the registry's adapters claim
    /// (`FormRouter`). A model named explicitly must load; the default one is used when present. `loaded` is that model when the caller has read it already.
    /// `embedding` and `hybrid` need the classifier's model too (it routes when the embedding
    /// engine cannot answer), the head, and an `embedder`.
    public static func make(registry: Registry, kind requested: Kind? = nil, model explicit: String? = nil, threshold: Double? = nil,
                            explains: Bool = false, loaded: RouterModel? = nil, head explicitHead: String? = nil, embedder: Embedder? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (any QueryRouter, Double) {
        let (router, threshold) = try unformed(registry: registry, kind: requested, model: explicit, threshold: threshold, explains: explains,
                                               loaded: loaded, head: explicitHead, embedder: embedder, environment: environment)
        return (try FormRouter.wrapping(router, registry: registry), threshold)
    }

    private static func unformed(registry: Registry, kind requested: Kind?, model explicit: String?, threshold: Double?,
                                 explains: Bool, loaded: RouterModel?, head explicitHead: String?, embedder: Embedder?,
                                 environment: [String: String]) throws -> (any QueryRouter, Double) {
        let named = explicit != nil || environment["LOCO_ROUTER_MODEL"] != nil
        let url = modelURL(registry: registry, explicit: explicit, environment: environment)
        let kind = requested ?? ((named || url.map { FileManager.default.fileExists(atPath: $0.path) } == true) ? .classifier : .keyword)
        switch kind {
        case .keyword:
            return (KeywordRouter(registry: registry), threshold ?? kind.defaultThreshold)
        case .classifier:
            return (try classifier(registry: registry, url: url, explains: explains, loaded: loaded), threshold ?? kind.defaultThreshold)
        case .embedding, .hybrid:
            let words = try classifier(registry: registry, url: url, explains: explains, loaded: loaded)
            guard let url = headURL(registry: registry, explicit: explicitHead, environment: environment), FileManager.default.fileExists(atPath: url.path) else {
                throw ConfigError("the \(kind.rawValue) router needs an embedding head (router/embedding-head.json beside the registry, --head FILE or LOCO_ROUTER_HEAD): fit one with `loco-route train DATA -o MODEL --embeddings URL`")
            }
            let head = try EmbeddingHead.load(url)
            let unknown = head.labels.filter { $0 != baseCandidate && registry[$0] == nil }
            if !unknown.isEmpty {
                throw ConfigError("embedding head \(url.path) routes to \(unknown.joined(separator: ", ")), which the registry does not have; refit it with `loco-route train --embeddings`")
            }
            guard let embedder else { throw ConfigError("the \(kind.rawValue) router needs an embedding engine (--embeddings URL)") }
            let router = EmbeddingRouter(mode: kind == .embedding ? .embedding : .hybrid, head: head, words: words,
                                         engineName: embedder.name, wordsThreshold: threshold ?? Kind.classifier.defaultThreshold,
                                         embed: embedder.embed)
            return (router, threshold ?? kind.defaultThreshold)
        }
    }
}
