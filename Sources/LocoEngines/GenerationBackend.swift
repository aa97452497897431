import LocoKit

/// The seam between LocoLLM and an engine. Everything backend-specific lives in one file per
/// backend; the rest of the code sees only this.
public protocol GenerationBackend {
    var name: String { get }
    /// The model the engine actually runs, as recorded in each record's `model`.
    func modelName() throws -> String
    func generate(_ request: GenerationRequest) throws -> Sample
    /// `count` samples of one prompt, sample i drawn with seed + i, produced together where the
    /// engine can (llama-server's `n_cmpl`, concurrent requests to Ollama's parallel slots).
    func generate(_ request: GenerationRequest, count: Int) throws -> [Sample]
    /// Whether the engine answers this request from its raw `prompt` (rather than its `messages`):
    /// only then does the answer continue an answer's start that the prompt ends with.
    func readsPrompt(of request: GenerationRequest) -> Bool
}

extension GenerationBackend {
    public func generate(_ request: GenerationRequest, count: Int) throws -> [Sample] {
        try (0..<count).map { i in
            var r = request
            r.seed = request.seed.map { $0 + i }
            return try generate(r)
        }
    }

    /// Chat engines take the messages when a record has both.
    public func readsPrompt(of request: GenerationRequest) -> Bool { request.messages == nil && request.prompt != nil }
}

/// Runs `count` requests at once on their own threads (each needs its own connection), keeping
/// sample order; the first error, in sample order, is thrown.
func concurrently(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Sample) throws -> [Sample] {
    final class Results: @unchecked Sendable {
        var values: [Result<Sample, Error>?]
        let lock = NSLock()
        init(_ n: Int) { values = Array(repeating: nil, count: n) }
    }
    let results = Results(count)
    DispatchQueue.concurrentPerform(iterations: count) { i in
        let result = Result { try body(i) }
        results.lock.lock()
        results.values[i] = result
        results.lock.unlock()
    }
    return try results.values.map { try $0!.get() }
}

public struct ChatMessage: Equatable, Sendable {
    public var role: String
    public var content: String
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

public struct GenerationRequest: Equatable, Sendable {
    public var messages: [ChatMessage]?
    public var prompt: String?
    public var stop: [String] = []
    public var temperature: Double
    public var seed: Int?
    public var maxTokens: Int
    /// The engine's name for the model to use, when it serves several (an adapter under vLLM,
    /// `locollm-NAME` under Ollama).
    public var model: String?
    /// The LoRA to apply to this request alone (llama-server's per-request `lora`).
    public var lora: LoRASelection?
    /// The start of the answer that `prompt` already ends with (`answer_start`): where the engine
    /// reads the prompt, its text continues this, and the answer is the two together.
    public var answerStart: String?

    public init(messages: [ChatMessage]? = nil, prompt: String? = nil, stop: [String] = [], temperature: Double, seed: Int?, maxTokens: Int) {
        self.messages = messages
        self.prompt = prompt
        self.stop = stop
        self.temperature = temperature
        self.seed = seed
        self.maxTokens = maxTokens
    }
}

/// An adapter's GGUF LoRA, by registry name and the absolute path the engine loaded it from.
public struct LoRASelection: Equatable, Sendable {
    public var adapter: String
    public var path: String
    public init(adapter: String, path: String) {
        self.adapter = adapter
        self.path = path
    }
}

/// One generated answer, as written into `samples`.
public struct Sample: Equatable, Sendable {
    public var text: String
    public var tokens: Int
    public var ms: Int
    /// "stop" (finished), "length" (hit the token budget), "scored" (options scored, none
    /// generated), or what the engine said.
    public var doneReason: String
    /// With "scored": each option's score (the log likelihood of its text after the prompt), in order.
    public var optionScores: [Double]?

    public init(text: String, tokens: Int, ms: Int, doneReason: String) {
        self.text = text
        self.tokens = tokens
        self.ms = ms
        self.doneReason = doneReason
    }

    public var json: JSONValue {
        var object: JSONObject = ["text": .string(text), "tokens": JSONValue(tokens), "ms": JSONValue(ms), "done_reason": .string(doneReason)]
        if let optionScores { object["option_scores"] = .array(optionScores.map { JSONValue($0) }) }
        return .object(object)
    }
}

/// The engine answered, but not with a result.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    case modelNotFound(model: String, hint: String)
    case server(status: Int, message: String)
    case badResponse(String)
    case adapterNotLoaded(adapter: String, hint: String)
    indirect case stillBusy(retries: Int, last: EngineError)

    public var description: String {
        switch self {
        case .modelNotFound(let model, let hint): return "model '\(model)' not found: \(hint)"
        case .server(let status, let message): return status == 200 ? "engine error: \(message)" : "engine answered HTTP \(status): \(message)"
        case .stillBusy(let retries, let last): return "\(last.description) (still busy after \(retries) retries)"
        case .badResponse(let message): return "unexpected answer from the engine: \(message)"
        case .adapterNotLoaded(let adapter, let hint): return "the engine has not loaded adapter '\(adapter)': \(hint)"
        }
    }
}

/// Reads `{"error": "..."}` from an engine's error body, or falls back to the body's text.
func errorMessage(from body: [UInt8]) -> String {
    if case .object(let o)? = try? JSONParser.parse(body) {
        if let s = o["error"]?.stringValue { return s }
        if let e = o["error"]?.objectValue, let s = e["message"]?.stringValue { return s }
    }
    let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? "(empty body)" : text
}

import Foundation

public func elapsedMilliseconds(since start: DispatchTime) -> Int {
    Int((DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000)
}
