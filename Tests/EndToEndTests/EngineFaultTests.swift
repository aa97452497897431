import Foundation
import Testing

/// Engine faults injected by the test double: each ends as a result or an error record, the
/// batch goes on, and nothing hangs.
extension FakeEngine {
    @Suite struct EngineFaultTests {
        let url: String

        init() throws {
            url = "http://127.0.0.1:\(try FakeOllama.shared.get().port)"
        }

        func gen(_ model: String, backend: String = "ollama", extra: String = "", records: Int = 2) throws -> ShellResult {
            let field = backend == "ollama" ? #""prompt":"p""# : #""prompt":"\#(model)""#
            let input = (1...records).map { #"{"id":\#($0),\#(field)}"# }.joined(separator: "\n") + "\n"
            return try shell("printf %s \(quoted(input)) | loco-gen --backend \(backend) --url \(url) --model \(model) \(extra)", timeout: 60)
        }

        func errors(_ r: ShellResult) throws -> [String] {
            try r.lines.map { line in
                let record = try jsonObject(line)
                return (record["error"] as? [String: Any])?["message"] as? String ?? "ok"
            }
        }

        @Test(arguments: ["ollama", "llama-server"])
        func busyEngineIsRetriedUntilItAnswers(backend: String) throws {
            let r = try gen("busy-then-ok", backend: backend, records: 1)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("Hello world!"))
            #expect(r.stderr.components(separatedBy: "retry ").count - 1 == 2, "\(r.stderr)")
        }

        @Test func busyForeverGivesUpAfterTheStatedRetries() throws {
            let started = Date()
            let r = try gen("always-busy", extra: "--retries 2", records: 2)
            #expect(Date().timeIntervalSince(started) < 20)
            #expect(r.status == 1)
            #expect(try errors(r) == Array(repeating: "engine answered HTTP 503: server busy, please try again.  maximum pending requests exceeded (still busy after 2 retries)", count: 2))
        }

        @Test(arguments: ["ollama", "llama-server"])
        func serverErrorIsAnErrorRecordAndNotRetried(backend: String) throws {
            let r = try gen("server-error", backend: backend)
            #expect(r.status == 1)
            #expect(try errors(r) == ["engine answered HTTP 500: boom", "engine answered HTTP 500: boom"])
            #expect(!r.stderr.contains("retry"))
        }

        @Test func aStreamCutInTheMiddleIsAnErrorRecord() throws {
            let r = try gen("cut-stream")
            #expect(r.status == 1)
            #expect(r.lines.count == 2)
            for message in try errors(r) {
                #expect(message.contains("request to \(url)/api/generate failed") || message.contains("ended before its final chunk"), "\(message)")
            }
        }

        @Test func aServerThatNeverAnswersTimesOut() throws {
            let started = Date()
            let r = try gen("hang", extra: "--timeout 1.5", records: 2)
            let elapsed = Date().timeIntervalSince(started)
            #expect(elapsed < 10, "took \(elapsed) s")
            #expect(r.status == 1)
            #expect(try errors(r) == Array(repeating: "no complete answer from \(url)/api/generate within 1.5 s", count: 2))
        }

        @Test func aTricklingStreamFinishesWithinItsTimeout() throws {
            let r = try gen("trickle", extra: "--timeout 10", records: 1)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("Hello world!"))
        }

        @Test func aTricklingStreamSlowerThanTheTimeoutIsAbandoned() throws {
            let r = try gen("trickle", extra: "--timeout 0.5", records: 1)
            #expect(r.status == 1)
            #expect(try errors(r).first?.hasPrefix("no complete answer from") == true)
        }

        @Test func aGoodRecordAfterFaultyOnesStillGetsItsAnswer() throws {
            let input = #"{"id":1,"prompt":"server-error"}"# + "\n" + #"{"id":2,"prompt":"hang"}"# + "\n" + #"{"id":3,"prompt":"ok-model"}"# + "\n"
            let r = try shell("printf %s \(quoted(input)) | loco-gen --backend llama-server --url \(url) --timeout 1", timeout: 60)
            #expect(r.lines.count == 3)
            #expect(try errors(r).last == "ok")
        }
    }
}
