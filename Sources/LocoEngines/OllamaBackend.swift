import Foundation
import LocoKit

/// Ollama's native API: `/api/chat` for messages, `/api/generate` with `raw` for a bare prompt.
/// Answers stream as NDJSON; the last chunk carries `done_reason` and `eval_count`, and an
/// `{"error"}` line may end a stream that started well.
public final class OllamaBackend: GenerationBackend {
    public let name = "ollama"
    public let baseURL: String
    public let model: String
    public let timeout: Double
    private let http = HTTPClient()

    public init(baseURL: String, model: String, timeout: Double) {
        self.baseURL = baseURL
        self.model = model
        self.timeout = timeout
    }

    public func modelName() throws -> String { model }

    /// Concurrent requests: Ollama runs them together up to OLLAMA_NUM_PARALLEL and queues the rest.
    public func generate(_ request: GenerationRequest, count: Int) throws -> [Sample] {
        guard count > 1 else { return [try generate(request)] }
        let (baseURL, model, timeout) = (self.baseURL, self.model, self.timeout)
        return try concurrently(count) { i in
            var r = request
            r.seed = request.seed.map { $0 + i }
            return try OllamaBackend(baseURL: baseURL, model: model, timeout: timeout).generate(r)
        }
    }

    public func generate(_ request: GenerationRequest) throws -> Sample {
        try generate(request, onText: nil)
    }

    func generate(_ request: GenerationRequest, onText: ((String) -> Void)?) throws -> Sample {
        var options: JSONObject = ["temperature": JSONValue(request.temperature), "num_predict": JSONValue(request.maxTokens)]
        if let seed = request.seed { options["seed"] = JSONValue(seed) }
        if !request.stop.isEmpty, request.messages == nil { options["stop"] = .array(request.stop.map { .string($0) }) }
        let path: String
        // An adapter is its own Ollama model (`loco adapters install` makes locollm-NAME).
        let model = request.model ?? self.model
        var body: JSONObject = ["model": .string(model), "stream": true, "options": .object(options)]
        if let messages = request.messages {
            path = "/api/chat"
            body["messages"] = .array(messages.map { ["role": .string($0.role), "content": .string($0.content)] })
        } else {
            path = "/api/generate"
            body["prompt"] = .string(request.prompt ?? "")
            body["raw"] = true
        }
        let start = DispatchTime.now()
        let response: HTTPResponse
        if let onText {
            // Hand each chunk's text over as it arrives; the whole body is parsed again below.
            let splitter = LineSplitter { line in
                guard case .object(let chunk)? = try? JSONParser.parse(line),
                      let piece = chunk["message"]?.objectValue?["content"]?.stringValue ?? chunk["response"]?.stringValue, !piece.isEmpty else { return }
                onText(piece)
            }
            response = try http.stream(baseURL + path, json: .object(body), timeout: timeout) { splitter.feed($0) }
        } else {
            response = try http.post(baseURL + path, json: .object(body), timeout: timeout)
        }
        switch response.status {
        case 200: break
        case 404:
            if let lora = request.lora {
                throw EngineError.modelNotFound(model: model, hint: "run 'loco adapters install \(lora.adapter)'")
            }
            throw EngineError.modelNotFound(model: model, hint: "run 'ollama pull \(model)' (or pass --model NAME)")
        default: throw EngineError.server(status: response.status, message: errorMessage(from: response.body))
        }
        var sample = try OllamaBackend.parseStream(response.body)
        sample.ms = elapsedMilliseconds(since: start)
        return sample
    }

    /// Joins the streamed chunks into one sample; an `error` line anywhere ends it as an error.
    static func parseStream(_ body: [UInt8]) throws -> Sample {
        var text = ""
        var tokens = 0
        var doneReason: String?
        for rawLine in body.split(separator: 0x0A) where !rawLine.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
            guard case .object(let chunk) = try JSONParser.parse(Array(rawLine)) else {
                throw EngineError.badResponse("a stream line is not a JSON object")
            }
            if let message = chunk["error"]?.stringValue { throw EngineError.server(status: 200, message: message) }
            if let piece = chunk["message"]?.objectValue?["content"]?.stringValue ?? chunk["response"]?.stringValue {
                text += piece
            }
            if chunk["done"]?.boolValue == true {
                doneReason = chunk["done_reason"]?.stringValue ?? "stop"
                tokens = chunk["eval_count"]?.intValue ?? 0
            }
        }
        guard let doneReason else { throw EngineError.badResponse("the stream ended before its final chunk") }
        return Sample(text: text, tokens: tokens, ms: 0, doneReason: doneReason)
    }
}
