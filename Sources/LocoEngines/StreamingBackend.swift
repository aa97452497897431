import LocoKit

/// Engines that hand over an answer's text while it is generated (`loco chat` prints it as it comes).
public protocol StreamingBackend: GenerationBackend {
    /// Generates one sample, calling `onText` with each new piece of text, and returns the whole.
    func stream(_ request: GenerationRequest, onText: @escaping (String) -> Void) throws -> Sample
}

/// Cuts a byte stream into lines as pieces arrive; a line may span pieces.
final class LineSplitter {
    private var pending: [UInt8] = []
    private let onLine: ([UInt8]) -> Void

    init(onLine: @escaping ([UInt8]) -> Void) { self.onLine = onLine }

    func feed(_ bytes: [UInt8]) {
        pending += bytes
        while let newline = pending.firstIndex(of: 0x0A) {
            var line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            if line.last == 0x0D { line.removeLast() }
            if !line.isEmpty { onLine(line) }
        }
    }
}

extension LlamaServerBackend: StreamingBackend {
    /// `/completion` with `"stream": true`: server-sent events `data: {content, stop, …}`, the
    /// last with `stop: true` and the counts. Needs a raw `prompt`.
    public func stream(_ request: GenerationRequest, onText: @escaping (String) -> Void) throws -> Sample {
        guard request.prompt != nil else { return try generate(request) }
        let start = DispatchTime.now()
        var body = try streamingBody(request)
        body["stream"] = true
        var final: JSONObject?
        var text = ""
        var failure: EngineError?
        let splitter = LineSplitter { line in
            guard line.starts(with: Array("data: ".utf8)), case .object(let event)? = try? JSONParser.parse(Array(line.dropFirst(6))) else { return }
            if let message = event["error"]?.objectValue?["message"]?.stringValue ?? event["error"]?.stringValue {
                failure = .server(status: 200, message: message)
                return
            }
            if let piece = event["content"]?.stringValue, !piece.isEmpty {
                text += piece
                onText(piece)
            }
            if event["stop"]?.boolValue == true { final = event }
        }
        let response = try streamingClient.stream(baseURL + "/completion", json: .object(body), timeout: timeout) { splitter.feed($0) }
        guard response.status == 200 else { throw EngineError.server(status: response.status, message: errorMessage(from: response.body)) }
        if let failure { throw failure }
        guard var finished = final else { throw EngineError.badResponse("the stream ended before its last event") }
        finished["content"] = .string(text)
        var sample = try LlamaServerBackend.parseCompletion(finished)
        sample.ms = elapsedMilliseconds(since: start)
        return sample
    }
}

extension OllamaBackend: StreamingBackend {
    /// Ollama streams NDJSON anyway; this hands each chunk's text over as it arrives.
    public func stream(_ request: GenerationRequest, onText: @escaping (String) -> Void) throws -> Sample {
        try generate(request, onText: onText)
    }
}

import Foundation
