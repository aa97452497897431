import Foundation
import LocoKit
import LocoRegistry

/// Sentence embeddings from an engine, many texts per request: a llama-server started with
/// `--embedding --pooling mean` (`POST /v1/embeddings`, OpenAI's shape), or Ollama
/// (`POST /api/embed` with a model such as `all-minilm`). Vectors come back L2-normalised, as both
/// engines return them for sentence-transformers models, so the two are interchangeable.
public struct EmbeddingEngine: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case llamaServer = "llama-server"
        case ollama
    }

    public var kind: Kind
    public var url: String
    /// The model Ollama embeds with; llama-server embeds with the one it loaded.
    public var model: String?
    public var timeout: Double

    public init(kind: Kind, url: String, model: String? = nil, timeout: Double = 60) {
        self.kind = kind
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.model = model
        self.timeout = timeout
    }

    public var endpoint: String { url + (kind == .ollama ? "/api/embed" : "/v1/embeddings") }

    public func requestBody(_ texts: [String]) -> JSONValue {
        var body: JSONObject = ["input": .array(texts.map { .string($0) })]
        if let model { body["model"] = .string(model) }
        return .object(body)
    }

    /// One vector per text, in order. Throws with the engine's own words when it refuses.
    public func embed(_ texts: [String], client: HTTPClient = HTTPClient()) throws -> [[Double]] {
        guard !texts.isEmpty else { return [] }
        let response = try client.post(endpoint, json: requestBody(texts), timeout: timeout)
        guard response.status == 200 else { throw EngineError.server(status: response.status, message: errorMessage(from: response.body)) }
        return try EmbeddingEngine.vectors(from: response.body, kind: kind, count: texts.count, endpoint: endpoint)
    }

    /// The vectors in an answer: `{"data": [{"index", "embedding"}]}` from llama-server,
    /// `{"embeddings": [[...]]}` from Ollama.
    public static func vectors(from body: [UInt8], kind: Kind, count: Int, endpoint: String) throws -> [[Double]] {
        guard case .object(let object)? = try? JSONParser.parse(body) else { throw EngineError.badResponse("\(endpoint) did not answer with a JSON object") }
        var vectors: [[Double]] = []
        switch kind {
        case .ollama:
            vectors = (object["embeddings"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.doubleValue) }
        case .llamaServer:
            let items = (object["data"]?.arrayValue ?? []).compactMap(\.objectValue)
            let ordered = items.sorted { ($0["index"]?.intValue ?? 0) < ($1["index"]?.intValue ?? 0) }
            vectors = ordered.map { ($0["embedding"]?.arrayValue ?? []).compactMap(\.doubleValue) }
        }
        guard vectors.count == count, let width = vectors.first?.count, width > 0, vectors.allSatisfy({ $0.count == width }) else {
            throw EngineError.badResponse("\(endpoint) gave \(vectors.count) vectors for \(count) texts (an embedding model, started with --embedding?)")
        }
        return vectors.map(EmbeddingEngine.normalised)
    }

    /// Every text's vector, `batch` texts per request; `progress` gets the count done after each.
    public func embedAll(_ texts: [String], batch: Int = 32, client: HTTPClient = HTTPClient(), progress: (Int) -> Void = { _ in }) throws -> [[Double]] {
        var vectors: [[Double]] = []
        for start in stride(from: 0, to: texts.count, by: batch) {
            vectors += try embed(Array(texts[start..<min(start + batch, texts.count)]), client: client)
            progress(vectors.count)
        }
        return vectors
    }

    public static func normalised(_ vector: [Double]) -> [Double] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}

extension EmbeddingEngine {
    /// Where `loco engine start --embeddings` runs the embedding llama-server.
    public static let defaultLlamaServerURL = "http://127.0.0.1:8079"
    public static let defaultOllamaModel = "all-minilm"

    /// The engine a router asks unless told otherwise: `url` / `$LOCO_EMBEDDINGS`, else, when the
    /// generation engine is Ollama (`LOCO_BACKEND` or the config file), Ollama itself, found as
    /// the generation engine's settings find it (model all-minilm: no second engine), else the
    /// embedding llama-server on 127.0.0.1:8079.
    public static func standard(url: String?, kind: Kind?, model: String?, timeout: Double = 60,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> EmbeddingEngine {
        let named = url ?? environment["LOCO_EMBEDDINGS"].flatMap { $0.isEmpty ? nil : $0 }
        let file = (try? ConfigFile.load(environment: environment)) ?? ConfigFile()
        let ollamaGenerates = (environment["LOCO_BACKEND"] ?? file.backend) == EngineSettings.Backend.ollama.rawValue
        let kind = kind ?? environment["LOCO_EMBEDDING_BACKEND"].flatMap(Kind.init(rawValue:)) ?? (ollamaGenerates && named == nil ? .ollama : .llamaServer)
        var resolved = named ?? defaultLlamaServerURL
        if named == nil, kind == .ollama {
            // LOCO_URL and the config file's url name the generation engine: Ollama's only when it generates.
            var settings = environment
            if !ollamaGenerates { settings["LOCO_URL"] = nil }
            resolved = (try? EngineSettings.resolve(backend: EngineSettings.Backend.ollama.rawValue, url: nil, model: nil, timeout: nil,
                                                    environment: settings, file: ollamaGenerates ? file : ConfigFile()))?.url ?? EngineSettings.defaultOllamaURL
        }
        return EmbeddingEngine(kind: kind, url: resolved, model: model ?? environment["LOCO_EMBEDDING_MODEL"] ?? defaultOllamaModel, timeout: timeout)
    }

    public var name: String { "\(kind.rawValue) at \(url)" }
}
