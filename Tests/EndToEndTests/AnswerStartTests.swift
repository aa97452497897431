import Foundation
import Testing
import LocoTestSupport

/// A code question that hands over an unfinished function, answered through the built tools by
/// the real llama-server with code-python's LoRA.
extension RealEngine {
    @Suite struct AnswerStartTests {
        let engine = ["LOCO_BACKEND": "llama-server", "LOCO_URL": E2E.engineURL ?? ""]

        @Test func aPastedStubIsFinishedFromItsBody() throws {
            let proxy = try RecordingProxy()
            let query = "can u write this in python pls\n# Return the larger of a and b.\ndef larger(a, b):"
            let record = String(decoding: try JSONSerialization.data(withJSONObject: ["query": query]), as: UTF8.self)
            let r = try shell("echo \(quoted(record)) | loco-route --adapter code-python | loco-prompt"
                              + " | loco-gen --url \(proxy.url) --max-tokens 48 | loco-vote", environment: engine)
            #expect(r.status == 0, "stderr: \(r.stderr)")
            let out = try jsonObject(r.stdout)
            let start = " ```python\n# Return the larger of a and b.\ndef larger(a, b):\n    "
            #expect(out["answer_start"] as? String == start)

            // The engine read the question, then the answer's start, and wrote on from there.
            let sent = try proxy.generations()
            #expect(sent.count == 1)
            let body = try #require(sent.first?["request"] as? [String: Any])
            #expect(body["prompt"] as? String == out["prompt"] as? String)
            #expect((body["prompt"] as? String ?? "").hasSuffix("Read the question again: \(query)\nA:\(start)"))
            let written = try #require(try jsonObject(sent[0]["response"] as? String ?? "")["content"] as? String)
            let samples = try #require(out["samples"] as? [[String: Any]])
            #expect(samples.first?["text"] as? String == start + written)

            // The vote reads the code from the whole answer, the stub included, whatever the model wrote.
            let answer = try #require(out["answer"] as? String)
            #expect(answer.contains("# Return the larger of a and b.\ndef larger(a, b):"), "\(answer)")
        }
    }
}
