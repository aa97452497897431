import Foundation
import Testing

extension FakeEngine {
    /// The OpenAI-compatible wire format and the pool's fault paths, against the test double.
    /// The real engine's side is in `RealEngine.PoolTests`.
    @Suite struct OpenAIWireTests {
        let url: String
        let log: String
        let brokenURL: String

        init() throws {
            let server = try FakeOllama.shared.get()
            url = "http://127.0.0.1:\(server.port)"
            log = server.log
            brokenURL = "http://127.0.0.1:\(try FakeOllama.broken.get().port)"
        }

        func lastRequest() throws -> [String: Any] {
            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
            return try jsonObject(String(lines.last!))
        }

        @Test(arguments: [false, true])
        func chatAnswersAreReadStreamedOrNot(stream: Bool) throws {
            let input = #"{"id":"a","adapter":null,"messages":[{"role":"user","content":"Q"}],"prompt":"Q: Q\nA:"}"#
            let r = try shell("echo \(quoted(input)) | loco-gen --backend openai --url \(url) --model ok-model --seed 3 --max-tokens 9\(stream ? " --stream" : "")")
            #expect(r.status == 0, "\(r.stderr)")
            let record = try jsonObject(r.stdout)
            #expect(record["backend"] as? String == "openai")
            let sample = try #require((record["samples"] as? [[String: Any]])?.first)
            #expect(sample["text"] as? String == "Hello world!")
            #expect(sample["tokens"] as? Int == 3)
            #expect(sample["done_reason"] as? String == "stop")
            let sent = try #require(try lastRequest()["body"] as? [String: Any])
            #expect(try lastRequest()["path"] as? String == "/v1/chat/completions")
            #expect(sent["model"] as? String == "ok-model" && sent["seed"] as? Int == 3 && sent["max_tokens"] as? Int == 9)
            #expect(sent["stream"] as? Bool == stream)
        }

        @Test func aBarePromptGoesToCompletions() throws {
            let r = try shell(#"echo '{"prompt":"Q: 2+2?\nA:","stop":["\nQ:"]}' | loco-gen --backend openai --url "# + url + " --model ok-model")
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains(#""text":"Hello world!""#))
            #expect(try lastRequest()["path"] as? String == "/v1/completions")
        }

        @Test func theModelIsTheServersFirstWhenNotGiven() throws {
            let r = try shell(#"echo '{"prompt":"x"}' | loco-gen --backend openai --url "# + url)
            // fake-model is listed but not served by the double: the 404 says what to check.
            #expect(r.status == 1)
            #expect(r.stdout.contains("fake-model") && r.stdout.contains("/v1/models"), "\(r.stdout)")
        }

        @Test func theAdaptersServedModelIsAskedFor() throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("openai-reg-\(UUID())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let registry = try String(contentsOf: E2E.root.appendingPathComponent("adapters/registry.yaml"), encoding: .utf8)
                .replacingOccurrences(of: "\n  math-reasoning:\n", with: "\n  math-reasoning:\n    served_model: ok-model\n")
            try registry.write(to: dir.appendingPathComponent("registry.yaml"), atomically: true, encoding: .utf8)
            let r = try shell(#"echo '{"adapter":"math-reasoning","prompt":"x"}' | loco-gen --backend openai --url "# + url + " --model base-not-served --registry \(quoted(dir.appendingPathComponent("registry.yaml").path))")
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try jsonObject(r.stdout)["model"] as? String == "ok-model")
            #expect((try lastRequest()["body"] as? [String: Any])?["model"] as? String == "ok-model")
        }

        @Test func theAPIKeyGoesInTheHeaderAndNowhereElse() throws {
            let r = try shell(#"echo '{"prompt":"x"}' | loco-gen --backend openai --url "# + url + " --model ok-model",
                              environment: ["LOCO_API_KEY": "sk-test-secret-123"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try lastRequest()["authorization"] as? String == "Bearer sk-test-secret-123")
            #expect(!r.stdout.contains("sk-test-secret") && !r.stderr.contains("sk-test-secret"))
            let failed = try shell(#"echo '{"prompt":"x"}' | loco-gen --backend openai --url http://127.0.0.1:9 --model ok-model"#,
                                   environment: ["LOCO_API_KEY": "sk-test-secret-123"])
            #expect(!failed.stdout.contains("sk-test-secret") && !failed.stderr.contains("sk-test-secret"))
        }

        @Test func aCutEventStreamIsAnErrorNotAShortAnswer() throws {
            let r = try shell(#"echo '{"prompt":"x"}' | loco-gen --backend openai --stream --url "# + url + " --model cut-stream")
            #expect(r.status == 1)
            let record = try jsonObject(r.stdout)
            #expect(record["samples"] == nil)
            let message = (record["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("transfer closed") || message.contains("the event stream ended before its last event"), "\(message)")
        }

        @Test func aPoolRoutesAroundADeadEngineAndLosesNothing() throws {
            let input = (1...30).map { #"{"id":\#($0),"prompt":"x"}"# }.joined(separator: "\n")
            let r = try shell("echo \(quoted(input)) | loco-gen --backend openai --url \(brokenURL) --url \(url) --model ok-model --parallel 4")
            #expect(r.status == 0, "\(r.stderr)")
            let records = try r.lines.map(jsonObject)
            #expect(records.compactMap { $0["id"] as? Int } == Array(1...30), "every record once, in input order")
            #expect(records.allSatisfy { $0["engine"] as? String == url && $0["error"] == nil })
            #expect(r.stderr.contains("engine \(brokenURL) failed (engine answered HTTP 500: engine broken); out for 2 s"))
        }

        @Test func aPoolWithNoLiveEngineEndsInErrorRecordsWithinTheTimeout() throws {
            let input = (1...3).map { #"{"id":\#($0),"prompt":"x"}"# }.joined(separator: "\n")
            let r = try shell("echo \(quoted(input)) | loco-gen --backend openai --url \(brokenURL) --url http://127.0.0.1:9 --model ok-model --timeout 3", timeout: 60)
            #expect(r.status == 1)
            #expect(r.lines.count == 3)
            #expect(try r.lines.map(jsonObject).allSatisfy { $0["error"] != nil })
        }
    }
}
