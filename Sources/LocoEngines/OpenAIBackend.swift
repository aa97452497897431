import Foundation
import LocoKit

/// Any OpenAI-compatible server: vLLM, llama-server's `/v1`, a shared gateway. Chat `messages`
/// go to `/v1/chat/completions`; a record with only a raw `prompt` goes to `/v1/completions`.
/// With `stream`, the answer comes as server-sent events and is joined here.
///
/// The model is chosen per request: the record's adapter through `adapterModels` (vLLM serves
/// each LoRA under the name given in `--lora-modules NAME=PATH`), else the base model. The API
/// key, when set, goes only into the Authorization header: never into a record or a message.
public final class OpenAIBackend: GenerationBackend {
    public let name = "openai"
    public let baseURL: String
    public let timeout: Double
    public let stream: Bool
    private let requestedModel: String?
    private let apiKey: String?
    private var cachedModelName: String?
    private let http = HTTPClient()

    public init(baseURL: String, model: String?, timeout: Double, apiKey: String?, stream: Bool = false) {
        self.baseURL = baseURL
        self.requestedModel = model
        self.timeout = timeout
        self.apiKey = apiKey
        self.stream = stream
    }

    private var headers: [String] { apiKey.map { ["Authorization: Bearer \($0)"] } ?? [] }

    /// The model named with --model, else the first the server lists.
    public func modelName() throws -> String {
        if let requestedModel { return requestedModel }
        if let cachedModelName { return cachedModelName }
        let response = try http.get(baseURL + "/v1/models", timeout: min(timeout, 30), headers: headers)
        guard response.status == 200 else { throw OpenAIBackend.failure(response) }
        guard case .object(let o)? = try? JSONParser.parse(response.body),
              let id = o["data"]?.arrayValue?.first?.objectValue?["id"]?.stringValue
        else { throw EngineError.badResponse("/v1/models lists no model; pass --model NAME") }
        cachedModelName = id
        return id
    }

    /// Concurrent requests: the server batches them (vLLM continuous batching, llama-server slots).
    public func generate(_ request: GenerationRequest, count: Int) throws -> [Sample] {
        guard count > 1 else { return [try generate(request)] }
        let (baseURL, model, timeout, apiKey, stream) = (self.baseURL, self.requestedModel, self.timeout, self.apiKey, self.stream)
        return try concurrently(count) { i in
            var r = request
            r.seed = request.seed.map { $0 + i }
            return try OpenAIBackend(baseURL: baseURL, model: model, timeout: timeout, apiKey: apiKey, stream: stream).generate(r)
        }
    }

    public func generate(_ request: GenerationRequest) throws -> Sample {
        let start = DispatchTime.now()
        var body: JSONObject = ["model": .string(try request.model ?? modelName()), "temperature": JSONValue(request.temperature),
                                "max_tokens": JSONValue(request.maxTokens), "stream": .bool(stream)]
        if let seed = request.seed { body["seed"] = JSONValue(seed) }
        if !request.stop.isEmpty { body["stop"] = .array(request.stop.map { .string($0) }) }
        let path: String
        if let messages = request.messages {
            path = "/v1/chat/completions"
            body["messages"] = .array(messages.map { ["role": .string($0.role), "content": .string($0.content)] })
        } else {
            path = "/v1/completions"
            body["prompt"] = .string(request.prompt ?? "")
        }
        if stream { body["stream_options"] = ["include_usage": true] }
        let response = try http.post(baseURL + path, json: .object(body), timeout: timeout, headers: headers)
        guard response.status == 200 else { throw OpenAIBackend.failure(response) }
        var sample = stream ? try OpenAIBackend.parseEvents(response.body) : try OpenAIBackend.parseAnswer(response.body)
        sample.ms = elapsedMilliseconds(since: start)
        return sample
    }

    static func failure(_ response: HTTPResponse) -> EngineError {
        let message = errorMessage(from: response.body)
        if response.status == 404, message.lowercased().contains("model") {
            return .modelNotFound(model: message, hint: "check --model, or the adapter's served_model in the registry, against the server's /v1/models")
        }
        return .server(status: response.status, message: message)
    }

    /// `choices[0].message.content` (chat) or `choices[0].text` (completions).
    static func parseAnswer(_ body: [UInt8]) throws -> Sample {
        guard case .object(let o) = try JSONParser.parse(body) else { throw EngineError.badResponse("the body is not a JSON object") }
        guard let choice = o["choices"]?.arrayValue?.first?.objectValue else { throw EngineError.badResponse("no choices in the answer") }
        guard let text = choice["message"]?.objectValue?["content"]?.stringValue ?? choice["text"]?.stringValue else {
            throw EngineError.badResponse("no choices[0].message.content or choices[0].text in the answer")
        }
        let tokens = o["usage"]?.objectValue?["completion_tokens"]?.intValue ?? 0
        return Sample(text: text, tokens: tokens, ms: 0, doneReason: choice["finish_reason"]?.stringValue ?? "stop")
    }

    /// Server-sent events: `data: {chunk}` lines, then `data: [DONE]`. An `error` event, or a
    /// stream that stops before a finish_reason and [DONE], is an error, never a short answer.
    static func parseEvents(_ body: [UInt8]) throws -> Sample {
        var text = ""
        var tokens = 0
        var finish: String?
        var done = false
        for rawLine in body.split(separator: 0x0A) {
            var line = String(decoding: rawLine, as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            guard line.hasPrefix("data:") else { continue }
            let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
            if payload == "[DONE]" { done = true; break }
            guard case .object(let chunk) = try JSONParser.parse(payload) else { throw EngineError.badResponse("an event is not a JSON object") }
            if let error = chunk["error"] {
                throw EngineError.server(status: 200, message: error.objectValue?["message"]?.stringValue ?? error.stringValue ?? "error event")
            }
            if let choice = chunk["choices"]?.arrayValue?.first?.objectValue {
                text += choice["delta"]?.objectValue?["content"]?.stringValue ?? choice["text"]?.stringValue ?? ""
                if let reason = choice["finish_reason"]?.stringValue { finish = reason }
            }
            if let count = chunk["usage"]?.objectValue?["completion_tokens"]?.intValue { tokens = count }
        }
        guard done, let finish else { throw EngineError.badResponse("the event stream ended before its last event") }
        return Sample(text: text, tokens: tokens, ms: 0, doneReason: finish)
    }
}
