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
    private let http = HTTPClient()

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

    public func generate(_ request: GenerationRequest) throws -> Sample {
        let start = DispatchTime.now()
        var body: JSONObject = ["temperature": JSONValue(request.temperature)]
        if let seed = request.seed { body["seed"] = JSONValue(seed) }
        let path: String
        if let prompt = request.prompt {
            path = "/completion"
            body["prompt"] = .string(prompt)
            body["n_predict"] = JSONValue(request.maxTokens)
            body["cache_prompt"] = true
            if !request.stop.isEmpty { body["stop"] = .array(request.stop.map { .string($0) }) }
        } else {
            path = "/v1/chat/completions"
            body["messages"] = .array((request.messages ?? []).map { ["role": .string($0.role), "content": .string($0.content)] })
            body["max_tokens"] = JSONValue(request.maxTokens)
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
