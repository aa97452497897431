import Foundation
import LocoRegistry
import LocoKit

/// Which engine to talk to and how. Each field is resolved in order: the command-line flag, the
/// environment, `$XDG_CONFIG_HOME/locollm/config.yaml`, then the default.
public struct EngineSettings: Equatable, Sendable {
    public enum Backend: String, CaseIterable, Sendable {
        case ollama
        case llamaServer = "llama-server"
        case openai
    }

    public var backend: Backend
    /// The first engine; `urls` has them all when there is a pool.
    public var url: String
    public var urls: [String]
    /// For engines that want one (`openai`): from LOCO_API_KEY or OPENAI_API_KEY only, never a file.
    public var apiKey: String?
    public var model: String?
    /// Seconds one request may take before it is abandoned.
    public var timeout: Double

    public static let defaultOllamaURL = "http://127.0.0.1:11434"
    public static let defaultLlamaServerURL = "http://127.0.0.1:8077"
    public static let defaultOpenAIURL = "http://127.0.0.1:8000"
    public static let defaultOllamaModel = "gemma3:270m"
    public static let defaultTimeout = 300.0

    public init(backend: Backend, url: String, urls: [String]? = nil, model: String? = nil, timeout: Double = EngineSettings.defaultTimeout,
                apiKey: String? = nil) {
        self.backend = backend
        self.url = url
        self.urls = urls ?? [url]
        self.apiKey = apiKey
        self.model = model
        self.timeout = timeout
    }

    /// `urls`: every --url given (a pool when more than one); LOCO_URL may list several,
    /// comma-separated; the config file has `url` or a list `urls`.
    public static func resolve(backend flagBackend: String?, url flagURL: String?, urls flagURLs: [String] = [], model flagModel: String?, timeout flagTimeout: Double?,
                               environment env: [String: String] = ProcessInfo.processInfo.environment,
                               file: ConfigFile? = nil) throws -> EngineSettings {
        let file = try file ?? ConfigFile.load(environment: env)
        let backendName = flagBackend ?? env["LOCO_BACKEND"] ?? file.backend ?? Backend.ollama.rawValue
        guard let backend = Backend(rawValue: backendName) else {
            throw ConfigError("unknown backend '\(backendName)': use one of \(Backend.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var urls = flagURLs.isEmpty ? flagURL.map { [$0] } : flagURLs
        if urls == nil, let list = env["LOCO_URL"], !list.isEmpty {
            urls = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if urls == nil { urls = file.urls ?? file.url.map { [$0] } }
        if urls == nil, backend == .ollama, let host = env["OLLAMA_HOST"], !host.isEmpty { urls = [ollamaURL(fromHost: host)] }
        let defaultURL = switch backend {
        case .ollama: defaultOllamaURL
        case .llamaServer: defaultLlamaServerURL
        case .openai: defaultOpenAIURL
        }
        let resolved = (urls?.isEmpty == false ? urls! : [defaultURL]).map(trimSlash)
        for url in resolved where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ConfigError("engine URL '\(url)' must start with http:// or https://")
        }
        var model = flagModel ?? env["LOCO_MODEL"] ?? file.model
        if model == nil, backend == .ollama { model = defaultOllamaModel }
        let timeout = flagTimeout ?? env["LOCO_TIMEOUT"].flatMap(Double.init) ?? file.timeout ?? defaultTimeout
        let apiKey = [env["LOCO_API_KEY"], env["OPENAI_API_KEY"]].compactMap { $0 }.first { !$0.isEmpty }
        return EngineSettings(backend: backend, url: resolved[0], urls: resolved, model: model, timeout: timeout, apiKey: apiKey)
    }

    /// `OLLAMA_HOST` may be `host`, `host:port`, `:port` or a full URL, as Ollama itself accepts.
    public static func ollamaURL(fromHost host: String) -> String {
        var h = host
        var scheme = "http"
        if let r = h.range(of: "://") {
            scheme = String(h[..<r.lowerBound])
            h = String(h[r.upperBound...])
        }
        h = trimSlash(h)
        if h.hasPrefix(":") { h = "127.0.0.1" + h }
        if h == "0.0.0.0" || h.hasPrefix("0.0.0.0:") { h = "127.0.0.1" + h.dropFirst("0.0.0.0".count) }
        let hasPort = h.hasPrefix("[") ? h.contains("]:") : h.contains(":")
        if !hasPort { h += ":11434" }
        return "\(scheme)://\(h)"
    }

    private static func trimSlash(_ s: String) -> String {
        var s = s
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }
}
