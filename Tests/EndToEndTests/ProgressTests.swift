import Foundation
import Testing

extension RealEngine {
    /// The progress line appears on a terminal only (here a pseudo-terminal from `script`).
    @Suite struct ProgressLineTests {
        @Test func aTerminalSeesShareDoneAndTimeLeftAPipeDoesNot() throws {
            let input = FileManager.default.temporaryDirectory.appendingPathComponent("loco-progress-\(UUID()).jsonl")
            defer { try? FileManager.default.removeItem(at: input) }
            try (["1+1", "2+2", "3+3"].map { #"{"prompt":"Q: What is \#($0)?\nA:"}"# }.joined(separator: "\n") + "\n")
                .write(to: input, atomically: true, encoding: .utf8)
            let gen = "loco-gen --backend llama-server --url \(E2E.engineURL!) --max-tokens 4 --total 3 < \(input.path)"
            let onTerminal = try shell("script -qec \(quoted(gen + " > /dev/null")) /dev/null")
            #expect(onTerminal.status == 0, "\(onTerminal.stderr)")
            #expect(onTerminal.stdout.contains("1/3 (33%), about "), "\(onTerminal.stdout)")
            #expect(onTerminal.stdout.contains("3/3 (100%)"), "\(onTerminal.stdout)")
            let piped = try shell(gen)
            #expect(piped.status == 0, "\(piped.stderr)")
            #expect(!piped.stderr.contains("(33%)"), "no progress line when stderr is not a terminal")
        }
    }
}

extension RealEngine {
    /// The judge metric against the real engine: three runs reach it and come back as grades (the
    /// 270M model is a poor judge, so only the flow is checked, not the verdict).
    @Suite struct JudgeTests {
        @Test func theRealEngineJudgesThreeTimes() throws {
            let r = try shell(#"echo '{"query":"What is the capital of France?","answer":"Paris","expected":"Paris"}' | loco-score --metric judge --backend llama-server --url \#(E2E.engineURL!)"#)
            let record = try jsonObject(r.stdout)
            if let score = record["score"] as? [String: Any] {
                #expect(r.status == 0)
                #expect((score["grades"] as? [Any])?.count == 3)
                #expect((0...1).contains(score["value"] as? Double ?? -1))
            } else {
                let message = (record["error"] as? [String: Any])?["message"] as? String
                #expect(message == "the judge gave no grade in 3 runs", "\(r.stdout)")
            }
        }
    }
}
