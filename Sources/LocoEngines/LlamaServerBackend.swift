import Foundation
import LocoKit

/// llama.cpp's `llama-server`: a bare prompt goes to `/completion` (the honest path for a base
/// model without a chat template); messages alone go to `/v1/chat/completions`.
public final class LlamaServerBackend: GenerationBackend {
    public let name = "llama-server"
    public let baseURL: String
    public let timeout: Double
    private let requestedModel: String?
    private var cachedModelName: String?
    private var cachedSlots: Int?
    private var cachedLoRAIDs: [String: Int]?
    /// Options' tokens (ContinuationScoring.swift): an option is scored after two prompts, and a
    /// quiz's options come back question after question.
    var cachedTokens: [String: [Int]] = [:]
    let http = HTTPClient()
    /// Streams go on a connection of their own, so a chat never waits behind a batch.
    let streamingClient = HTTPClient()

    public init(baseURL: String, model: String?, timeout: Double) {
        self.baseURL = baseURL
        self.requestedModel = model
        self.timeout = timeout
    }

    /// The server runs one model; ask it which, once.
    public func modelName() throws -> String {
        if let cachedModelName { return cachedModelName }
        let response = try http.get(baseURL + "/v1/models", timeout: min(timeout, 30))
        var name = requestedModel ?? "llama-server"
        if response.status == 200, case .object(let o)? = try? JSONParser.parse(response.body),
           let id = o["data"]?.arrayValue?.first?.objectValue?["id"]?.stringValue {
            name = id
        } else if response.status != 200 {
            throw EngineError.server(status: response.status, message: errorMessage(from: response.body))
        }
        cachedModelName = name
        return name
    }

    /// How many requests the server runs at once (`--parallel`); `n_cmpl` may not exceed it.
    public func slots() throws -> Int {
        if let cachedSlots { return cachedSlots }
        let response = try http.get(baseURL + "/props", timeout: min(timeout, 30))
        var slots = 1
        if response.status == 200, case .object(let o)? = try? JSONParser.parse(response.body), let n = o["total_slots"]?.intValue, n > 0 {
            slots = n
        }
        cachedSlots = slots
        return slots
    }

    /// The adapters the server loaded at start (`--lora`), by resolved path: id. Asked once.
    public func loraIDs() throws -> [String: Int] {
        if let cachedLoRAIDs { return cachedLoRAIDs }
        let response = try http.get(baseURL + "/lora-adapters", timeout: min(timeout, 30))
        var ids: [String: Int] = [:]
        if response.status == 200, case .array(let items)? = try? JSONParser.parse(response.body) {
            for item in items {
                guard let o = item.objectValue, let id = o["id"]?.intValue, let path = o["path"]?.stringValue else { continue }
                ids[LlamaServerBackend.resolved(path)] = id
            }
        }
        cachedLoRAIDs = ids
        return ids
    }

    /// The server's id for the LoRA in `path`; nil when it was not started with it. By path, else
    /// by content, so that another checkout of the same adapters uses a running engine. Files are
    /// hashed only when no path matches: every `loco query` used to hash every loaded LoRA (21 MB
    /// for the five shipped, 12 ms or more at this machine's 1.8 GB/s) to answer the common case.
    public func loadedID(of path: String) throws -> Int? {
        let ids = try loraIDs()
        if let id = ids[LlamaServerBackend.resolved(path)] { return id }
        guard let wanted = LlamaServerBackend.digest(path) else { return nil }
        return ids.sorted { $0.value < $1.value }.first { LlamaServerBackend.digest($0.key) == wanted }?.value
    }

    static func resolved(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path }

    /// A weights file's sha256, once per path per process (adapters are megabytes, hashed in a blink).
    static func digest(_ path: String) -> String? {
        digests.lock.lock()
        defer { digests.lock.unlock() }
        if let known = digests.known[path] { return known }
        let digest = try? sha256Hex(of: URL(fileURLWithPath: path))
        digests.known[path] = digest
        return digest
    }

    private final class DigestCache: @unchecked Sendable {
        let lock = NSLock()
        var known: [String: String?] = [:]
    }
    private static let digests = DigestCache()

    /// Every loaded adapter at scale 0 except the chosen one at 1: explicit, so a server started
    /// without --lora-init-without-apply still answers a base request with the base model.
    func loraField(_ request: GenerationRequest) throws -> JSONValue? {
        guard request.lora != nil || cachedLoRAIDs?.isEmpty != true else { return nil }
        let ids = try loraIDs()
        var chosen: Int?
        if let lora = request.lora {
            guard let id = try loadedID(of: lora.path) else {
                throw EngineError.adapterNotLoaded(adapter: lora.adapter, hint: "llama-server at \(baseURL) was not started with --lora \(lora.path) (run `loco adapters install \(lora.adapter)`, which restarts the embedded engine with it)")
            }
            chosen = id
        }
        guard !ids.isEmpty else { return nil }
        return .array(Set(ids.values).sorted().map { ["id": JSONValue($0), "scale": JSONValue($0 == chosen ? 1.0 : 0.0)] })
    }

    /// `n_cmpl`: the prompt is evaluated once and the completions decode together, child j with
    /// seed + j, in chunks of at most the server's slots. Chat requests go concurrently instead.
    public func generate(_ request: GenerationRequest, count: Int) throws -> [Sample] {
        guard count > 1 else { return [try generate(request)] }
        guard request.prompt != nil else {
            let (baseURL, model, timeout) = (self.baseURL, self.requestedModel, self.timeout)
            return try concurrently(count) { i in
                var r = request
                r.seed = request.seed.map { $0 + i }
                return try LlamaServerBackend(baseURL: baseURL, model: model, timeout: timeout).generate(r)
            }
        }
        let chunk = try slots()
        var samples: [Sample] = []
        while samples.count < count {
            var r = request
            r.seed = request.seed.map { $0 + samples.count }
            let n = min(chunk, count - samples.count)
            samples += n == 1 ? [try generate(r)] : try completions(r, count: n)
        }
        return samples
    }

    private func completions(_ request: GenerationRequest, count: Int) throws -> [Sample] {
        let start = DispatchTime.now()
        var body = try completionBody(request)
        body["n_cmpl"] = JSONValue(count)
        let response = try http.post(baseURL + "/completion", json: .object(body), timeout: timeout)
        guard response.status == 200 else {
            throw EngineError.server(status: response.status, message: errorMessage(from: response.body))
        }
        guard case .array(let items) = try JSONParser.parse(response.body), items.count == count else {
            throw EngineError.badResponse("expected \(count) completions for n_cmpl")
        }
        let ms = elapsedMilliseconds(since: start)
        let ordered = items.enumerated().sorted { ($0.element.objectValue?["index"]?.intValue ?? $0.offset) < ($1.element.objectValue?["index"]?.intValue ?? $1.offset) }
        return try ordered.map { item in
            guard let o = item.element.objectValue else { throw EngineError.badResponse("a completion is not an object") }
            var sample = try LlamaServerBackend.parseCompletion(o)
            sample.ms = ms
            return sample
        }
    }

    func streamingBody(_ request: GenerationRequest) throws -> JSONObject { try completionBody(request) }

    func completionBody(_ request: GenerationRequest) throws -> JSONObject {
        var body: JSONObject = ["temperature": JSONValue(request.temperature), "prompt": .string(request.prompt ?? ""),
                                "n_predict": JSONValue(request.maxTokens), "cache_prompt": true]
        if let lora = try loraField(request) { body["lora"] = lora }
        if let seed = request.seed { body["seed"] = JSONValue(seed) }
        if !request.stop.isEmpty { body["stop"] = .array(request.stop.map { .string($0) }) }
        return body
    }

    /// A base model has no chat template: the raw prompt goes to `/completion` whenever there is one.
    public func readsPrompt(of request: GenerationRequest) -> Bool { request.prompt != nil }

    public func generate(_ request: GenerationRequest) throws -> Sample {
        let start = DispatchTime.now()
        var body: JSONObject
        let path: String
        if request.prompt != nil {
            path = "/completion"
            body = try completionBody(request)
        } else {
            body = ["temperature": JSONValue(request.temperature)]
            if let seed = request.seed { body["seed"] = JSONValue(seed) }
            path = "/v1/chat/completions"
            body["messages"] = .array((request.messages ?? []).map { ["role": .string($0.role), "content": .string($0.content)] })
            body["max_tokens"] = JSONValue(request.maxTokens)
            if let lora = try loraField(request) { body["lora"] = lora }
        }
        let response = try http.post(baseURL + path, json: .object(body), timeout: timeout)
        guard response.status == 200 else {
            throw EngineError.server(status: response.status, message: errorMessage(from: response.body))
        }
        guard case .object(let o) = try JSONParser.parse(response.body) else {
            throw EngineError.badResponse("the body is not a JSON object")
        }
        var sample = path == "/completion" ? try LlamaServerBackend.parseCompletion(o) : try LlamaServerBackend.parseChat(o)
        sample.ms = elapsedMilliseconds(since: start)
        return sample
    }

    static func parseCompletion(_ o: JSONObject) throws -> Sample {
        guard let text = o["content"]?.stringValue else { throw EngineError.badResponse("no 'content' in the completion") }
        let tokens = o["tokens_predicted"]?.intValue ?? o["timings"]?.objectValue?["predicted_n"]?.intValue ?? 0
        let reason: String
        switch o["stop_type"]?.stringValue {
        case "limit": reason = "length"
        case "eos", "word": reason = "stop"
        case let other?: reason = other
        case nil: reason = o["stopped_limit"]?.boolValue == true ? "length" : "stop"
        }
        return Sample(text: text, tokens: tokens, ms: 0, doneReason: reason)
    }

    static func parseChat(_ o: JSONObject) throws -> Sample {
        guard let choice = o["choices"]?.arrayValue?.first?.objectValue,
              let text = choice["message"]?.objectValue?["content"]?.stringValue
        else { throw EngineError.badResponse("no choices[0].message.content in the chat answer") }
        let tokens = o["usage"]?.objectValue?["completion_tokens"]?.intValue ?? 0
        return Sample(text: text, tokens: tokens, ms: 0, doneReason: choice["finish_reason"]?.stringValue ?? "stop")
    }
}
