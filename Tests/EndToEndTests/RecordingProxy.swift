import Foundation
import Testing

/// A Python script under Fixtures/ that prints the port it listens on and serves until its stdin
/// closes, so it ends with the object that holds it, or with the test process.
final class PythonFixture: @unchecked Sendable {
    let process = Process()
    private let stdin = Pipe()
    let port: Int

    init(_ script: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", E2E.root.appendingPathComponent("Tests/EndToEndTests/Fixtures/\(script)").path] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "\(script) did not start: \(text)"])
        }
        self.port = port
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// The real engine behind a pass-through proxy that logs each exchange (Fixtures/recording_proxy.py).
/// llama-server's prompt cache makes a repeated request's text differ now and then, so tests compare
/// a tool's text with `answers(...)`: the engine's own answer to the request that tool sent.
final class RecordingProxy: @unchecked Sendable {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("loco-proxy-\(UUID()).jsonl").path
    private let fixture: PythonFixture
    var url: String { "http://127.0.0.1:\(fixture.port)" }

    init(to upstream: String = E2E.engineURL ?? "") throws {
        fixture = try PythonFixture("recording_proxy.py", arguments: [upstream, log])
    }

    deinit { try? FileManager.default.removeItem(atPath: log) }

    /// Every logged exchange whose path starts with `prefix`, in the order they completed.
    func exchanges(_ prefix: String = "/") throws -> [[String: Any]] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try jsonObject(String($0)) }
            .filter { ($0["path"] as? String ?? "").hasPrefix(prefix) }
    }

    /// The request bodies sent to generation endpoints, in order.
    func generationRequests() throws -> [[String: Any]] {
        try generations().map { $0["request"] as? [String: Any] ?? [:] }
    }

    func generations() throws -> [[String: Any]] {
        try exchanges().filter { ["/completion", "/v1/chat/completions", "/v1/completions"].contains($0["path"] as? String ?? "") }
    }

    /// The texts the engine answered, request after request: `n_cmpl` lists give one text per
    /// completion, and a stream's events are joined.
    func answers() throws -> [String] {
        try generations().flatMap { try RecordingProxy.texts(of: $0["response"] as? String ?? "") }
    }

    static func texts(of body: String) throws -> [String] {
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("data:") || trimmed.hasPrefix("{") && trimmed.contains("\n\n") {
            // Server-sent events: one text per stream (completion `content`, chat `delta.content`).
            var text = ""
            for line in trimmed.split(separator: "\n") where line.hasPrefix("data:") {
                let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
                if payload == "[DONE]" { continue }
                text += piece(of: try jsonObject(payload), streamed: true)
            }
            return [text]
        }
        let value = try JSONSerialization.jsonObject(with: Data(trimmed.utf8))
        if let list = value as? [[String: Any]] { return list.map { piece(of: $0, streamed: false) } }
        return [piece(of: try #require(value as? [String: Any]), streamed: false)]
    }

    private static func piece(of object: [String: Any], streamed: Bool) -> String {
        if let content = object["content"] as? String { return content }
        let choice = (object["choices"] as? [[String: Any]])?.first ?? [:]
        let message = (choice[streamed ? "delta" : "message"] as? [String: Any]) ?? [:]
        return message["content"] as? String ?? choice["text"] as? String ?? ""
    }
}

/// A request body as JSON text with sorted keys, to compare two requests field for field.
func canonical(_ object: [String: Any]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}
