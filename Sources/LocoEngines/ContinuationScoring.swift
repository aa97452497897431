import Foundation
import LocoKit

/// How likely the model finds a given text after a prompt: the sum of each of its tokens' log
/// probabilities, read from the model's own distribution, and how many tokens that took.
public struct ContinuationScore: Equatable, Sendable {
    public var logprob: Double
    public var tokens: Int
    public init(logprob: Double, tokens: Int) {
        self.logprob = logprob
        self.tokens = tokens
    }
}

/// Engines that can say how likely a continuation is (a multiple-choice question's options,
/// scored as lm-evaluation-harness scores them, instead of hoping a letter gets written).
public protocol ContinuationScoring: GenerationBackend {
    /// The log likelihood of each of `continuations` after each request's raw `prompt`, under its
    /// LoRA: one row per request, in the continuations' order.
    func score(_ continuations: [String], after requests: [GenerationRequest]) throws -> [[ContinuationScore]]
}

extension LlamaServerBackend: ContinuationScoring {
    /// llama-server has no prompt log probabilities (`echo` is refused), so the continuation's
    /// own tokens (`/tokenize`) are generated under a grammar that allows exactly them, in order,
    /// and `n_probs` reports each one's log probability from the model's logits before any
    /// sampler or the grammar touched them. A grammar of characters would not do: it lets the
    /// likeliest prefix token lead (" " before "Paris"), which spells the text and scores another
    /// tokenization of it.
    ///
    /// All the continuations are scored after one prompt before the next prompt: a slot keeps the
    /// prompt it last read, so the prompt is read once, not once per continuation. Each text is
    /// tokenized once for the backend's life.
    public func score(_ continuations: [String], after requests: [GenerationRequest]) throws -> [[ContinuationScore]] {
        guard requests.allSatisfy({ $0.prompt != nil }) else {
            throw EngineError.badResponse("options are scored after a raw prompt, and this record has chat messages only")
        }
        let tokenized = try continuations.map { continuation in
            if let tokens = cachedTokens[continuation] { return tokens }
            let tokens = try tokenize(continuation)
            guard !tokens.isEmpty else { throw EngineError.badResponse("an empty option cannot be scored") }
            cachedTokens[continuation] = tokens
            return tokens
        }
        return try requests.map { request in try tokenized.map { try score(tokens: $0, after: request) } }
    }

    /// The log likelihood of these tokens after the request's prompt.
    func score(tokens: [Int], after request: GenerationRequest) throws -> ContinuationScore {
        var scoring = request
        scoring.temperature = 0
        scoring.stop = []
        scoring.maxTokens = tokens.count
        var body = try completionBody(scoring)
        body["grammar"] = .string(LlamaServerBackend.grammar(tokens: tokens))
        body["n_probs"] = 1
        body["post_sampling_probs"] = false
        let response = try http.post(baseURL + "/completion", json: .object(body), timeout: timeout)
        guard response.status == 200 else {
            throw EngineError.server(status: response.status, message: errorMessage(from: response.body))
        }
        guard case .object(let o) = try JSONParser.parse(response.body), let probabilities = o["completion_probabilities"]?.arrayValue else {
            throw EngineError.badResponse("no 'completion_probabilities' in the scored completion")
        }
        let scored = probabilities.compactMap { $0.objectValue }
        guard scored.map({ $0["id"]?.intValue }) == tokens.map({ $0 }) else {
            throw EngineError.badResponse("the scored tokens are not the option's")
        }
        var logprob = 0.0
        for token in scored {
            guard let value = token["logprob"]?.doubleValue else { throw EngineError.badResponse("a scored token without its 'logprob'") }
            logprob += value
        }
        return ContinuationScore(logprob: logprob, tokens: tokens.count)
    }

    /// The model's tokens for `text`, as it would write them (no start-of-text token).
    func tokenize(_ text: String) throws -> [Int] {
        let response = try http.post(baseURL + "/tokenize", json: ["content": .string(text), "add_special": false], timeout: timeout)
        guard response.status == 200 else {
            throw EngineError.server(status: response.status, message: errorMessage(from: response.body))
        }
        guard case .object(let o) = try JSONParser.parse(response.body), let list = o["tokens"]?.arrayValue else {
            throw EngineError.badResponse("no 'tokens' from /tokenize")
        }
        return try list.map { value in
            guard let id = value.intValue else { throw EngineError.badResponse("a token that is not an id from /tokenize") }
            return id
        }
    }

    /// A GBNF grammar whose only sentence is these tokens, in order.
    static func grammar(tokens: [Int]) -> String {
        "root ::= " + tokens.map { "<[\($0)]>" }.joined(separator: " ")
    }
}
