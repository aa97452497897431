import LocoKit
import LocoRegistry

/// Builds the backend `EngineSettings` describe: one engine, or a pool when there are several
/// URLs. `make()` gives a fresh backend (own connections) each time, for parallel workers; all
/// of them share one pool.
public struct Engines {
    public let settings: EngineSettings
    public let stream: Bool
    public let pool: EnginePool?

    public init(settings: EngineSettings, stream: Bool = false) {
        self.settings = settings
        self.stream = stream
        self.pool = settings.urls.count > 1 ? EnginePool(urls: settings.urls) : nil
    }

    public func make() -> GenerationBackend {
        guard let pool else { return single(settings.url) }
        return PooledBackend(pool: pool, members: settings.urls.map(single), patience: settings.timeout)
    }

    func single(_ url: String) -> GenerationBackend {
        switch settings.backend {
        case .ollama: OllamaBackend(baseURL: url, model: settings.model ?? EngineSettings.defaultOllamaModel, timeout: settings.timeout)
        case .llamaServer: LlamaServerBackend(baseURL: url, model: settings.model, timeout: settings.timeout)
        case .openai: OpenAIBackend(baseURL: url, model: settings.model, timeout: settings.timeout, apiKey: settings.apiKey, stream: stream)
        }
    }

    /// How this engine applies each adapter: the model it serves the adapter as (vLLM's
    /// `served_model`, Ollama's `locollm-NAME`) and the LoRA file to apply per request.
    public func adapterMapping(_ registry: Registry) -> (models: [String: String], weights: [String: String]) {
        var models: [String: String] = [:]
        var weights: [String: String] = [:]
        let unusable = unusableAdapters(registry)
        for name in registry.names where unusable[name] == nil {
            guard let entry = registry[name] else { continue }
            switch settings.backend {
            case .openai:
                models[name] = entry.servedModel
            case .ollama:
                guard entry.hasWeights else { continue }
                models[name] = Registry.ollamaModel(for: name)
                weights[name] = registry.weightsURL(of: name)?.path
            case .llamaServer:
                weights[name] = registry.weightsURL(of: name)?.path
            }
        }
        return (models, weights)
    }

    /// The adapters among `names` whose LoRA an engine of a llama-server pool was not started
    /// with, asked before a long run so that it does not become hours of error records. Other
    /// backends say so per record (Ollama's missing locollm-NAME model, a gateway's 404).
    public func adaptersNotLoaded(_ names: [String], registry: Registry) throws -> [String] {
        guard settings.backend == .llamaServer else { return [] }
        // One backend per engine: each asks its server for the loaded LoRAs once.
        let servers = settings.urls.map { LlamaServerBackend(baseURL: $0, model: settings.model, timeout: settings.timeout) }
        return try names.filter { name in
            guard let path = registry.weightsURL(of: name)?.path else { return false }
            return try servers.contains { try $0.loadedID(of: path) == nil }
        }
    }

    /// Adapters whose LoRA cannot apply to this engine's model, each with the reason: a LoRA only
    /// works with the base it was trained for. Ollama names its model, so it is checked there; the
    /// embedded llama-server runs the packaged base the adapters were trained for. Adapters
    /// without weights (a prompt only) apply anywhere.
    public func unusableAdapters(_ registry: Registry) -> [String: String] {
        guard settings.backend == .ollama else { return [:] }
        let model = settings.model ?? EngineSettings.defaultOllamaModel
        var unusable: [String: String] = [:]
        for name in registry.names {
            guard let entry = registry[name], entry.hasWeights,
                  let why = BaseModelName.mismatch(adapterBase: entry.baseModel, engineModel: model) else { continue }
            unusable[name] = "\(name)'s LoRA does not apply here: \(why)"
        }
        return unusable
    }

    /// What to tell a user whose engine cannot be reached.
    public var startHint: String {
        switch settings.backend {
        case .ollama: "start Ollama with 'ollama serve', or use the embedded engine with 'loco engine start' and --backend llama-server"
        case .llamaServer: "start it with 'loco engine start' (after 'loco setup'), or 'llama-server -m MODEL.gguf --port PORT'"
        case .openai: "start the server (e.g. 'vllm serve MODEL' or 'llama-server -m MODEL.gguf'), or check --url and LOCO_API_KEY"
        }
    }
}
