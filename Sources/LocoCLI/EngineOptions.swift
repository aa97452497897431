import ArgumentParser
import LocoKit
import LocoEngines
import LocoRegistry

/// The flags of every tool that talks to an engine.
public struct EngineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Engine API: ollama, llama-server, or openai (any OpenAI-compatible server: vLLM, llama-server's /v1, a gateway). [env: LOCO_BACKEND; default: ollama]", valueName: "name"))
    public var backend: String?

    @Option(help: ArgumentHelp("Engine base URL; give it several times for a pool of engines serving the same model. [env: LOCO_URL (comma-separated), or OLLAMA_HOST for ollama; default: http://127.0.0.1:11434 for ollama, http://127.0.0.1:8077 for llama-server, http://127.0.0.1:8000 for openai]", valueName: "url"))
    public var url: [String] = []

    @Option(help: ArgumentHelp("Model name (ollama) or label (llama-server runs the model it was started with). [env: LOCO_MODEL; default: gemma3:270m]", valueName: "name"))
    public var model: String?

    @Option(help: ArgumentHelp("Seconds one request may take before it becomes an error record. [env: LOCO_TIMEOUT; default: 300]", valueName: "seconds"))
    public var timeout: Double?

    public init() {}

    public func settings() throws -> EngineSettings {
        try EngineSettings.resolve(backend: backend, url: nil, urls: url, model: model, timeout: timeout)
    }
}

/// Where the adapter registry comes from.
public struct RegistryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Adapter registry. [env: LOCO_REGISTRY; default: adapters/registry.yaml of the LocoLLM checkout]", valueName: "file"))
    public var registry: String?

    public init() {}

    public func load() throws -> Registry {
        try Registry.load(Registry.locate(explicit: registry))
    }

    /// For tools that only read answer formats from the registry: none found is no reason to
    /// stop, but one the user named that cannot be read is a configuration error (exit 2).
    public func loadIfAvailable(tool: String) -> Registry? {
        guard registry != nil else { return try? load() }
        do { return try load() } catch { LocoCLI.fail(tool, error) }
    }
}
