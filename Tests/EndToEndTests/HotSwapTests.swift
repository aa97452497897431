import Foundation
import Testing

/// The trained sentiment LoRA on a real llama-server: loaded once, applied per request.
extension RealEngine {
    @Suite(.enabled(if: ExtraEngines.available, "needs LOCO_TEST_LLAMA_SERVER and LOCO_TEST_GGUF: run scripts/test.sh"))
    struct HotSwapTests {
        static let weights = E2E.root.appendingPathComponent("adapters/sentiment/adapter.gguf").path

        /// Four held-out reviews, prompted as the adapter sees them.
        func prompted() throws -> String {
            let r = try shell("sed -n 1,4p adapters/sentiment/eval/benchmark.jsonl | loco-route --adapter sentiment | loco-prompt")
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout
        }

        func generate(_ records: String, url: String, lora: Bool) throws -> [[String: Any]] {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("loco-swap-\(UUID()).jsonl")
            defer { try? FileManager.default.removeItem(at: file) }
            // Same prompt both ways: only `adapter` differs, and with it the LoRA.
            try records.write(to: file, atomically: true, encoding: .utf8)
            let filter = lora ? "." : ".adapter = null"
            let r = try shell("jq -c \(quoted(filter)) \(file.path) | loco-gen --backend llama-server --url \(url) --temperature 0.8 --seed 7 --max-tokens 12")
            #expect(r.status == 0, "\(r.stderr)")
            return try r.lines.map(jsonObject)
        }

        func texts(_ records: [[String: Any]]) -> [String] {
            records.map { (($0["samples"] as? [[String: Any]])?.first?["text"] as? String) ?? "<none>" }
        }

        @Test func theAdapterChangesTheAnswerWithoutARestart() throws {
            let engine = try ExtraEngines(ports: [8187], arguments: ["--lora", HotSwapTests.weights, "--lora-init-without-apply"])
            let loaded = try shell("curl -sf \(engine.urls[0])/lora-adapters | jq -r '.[0].path'")
            #expect(loaded.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == HotSwapTests.weights)
            let records = try prompted()

            let onEngine = try RecordingProxy(to: engine.urls[0]), offEngine = try RecordingProxy(to: engine.urls[0])
            let on = try generate(records, url: onEngine.url, lora: true)
            let off = try generate(records, url: offEngine.url, lora: false)

            #expect(on.allSatisfy { $0["lora"] as? String == "sentiment" })
            #expect(off.allSatisfy { $0["lora"] == nil })
            // Each request names the LoRA at scale 1 or 0, and each text is the engine's answer to it.
            #expect(try onEngine.generationRequests().map { $0["lora"] as? [[String: Double]] } == Array(repeating: [["id": 0, "scale": 1]], count: 4))
            #expect(try offEngine.generationRequests().map { $0["lora"] as? [[String: Double]] } == Array(repeating: [["id": 0, "scale": 0]], count: 4))
            #expect(texts(on) == (try onEngine.answers()))
            #expect(texts(off) == (try offEngine.answers()))
            #expect(texts(on) != texts(off), "the LoRA changes what the model says")
            // What it was trained for: one word, a label.
            for text in texts(on) {
                #expect(["positive", "negative"].contains(text.trimmingCharacters(in: .whitespacesAndNewlines)), "\(text)")
            }
            #expect(engine.processes[0].isRunning, "no restart between adapters")
        }

        /// Another checkout's copy of the same weights: the engine's LoRA is matched by its sha256,
        /// not its path, so a second checkout works with an engine the first one started.
        @Test func anotherCheckoutOfTheSameWeightsUsesTheRunningEngine() throws {
            let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("loco-other-checkout-\(UUID())")
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: elsewhere) }
            let copy = elsewhere.appendingPathComponent("adapter.gguf").path
            try FileManager.default.copyItem(atPath: HotSwapTests.weights, toPath: copy)
            let engine = try ExtraEngines(ports: [8189], arguments: ["--lora", copy, "--lora-init-without-apply"])
            let proxy = try RecordingProxy(to: engine.urls[0])
            let on = try generate(try prompted(), url: proxy.url, lora: true)
            #expect(on.allSatisfy { $0["lora"] as? String == "sentiment" && $0["error"] == nil }, "\(on)")
            #expect(try proxy.generationRequests().map { $0["lora"] as? [[String: Double]] } == Array(repeating: [["id": 0, "scale": 1]], count: 4))
        }

        @Test func anEngineWithoutTheAdapterSaysHowToInstallIt() throws {
            let engine = try ExtraEngines(ports: [8188])
            let r = try shell(#"echo '{"adapter":"sentiment","prompt":"Q: a fine film\nA:"}' | loco-gen --backend llama-server --url \#(engine.urls[0]) --max-tokens 4"#)
            #expect(r.status == 1)
            let message = (try jsonObject(r.stdout)["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("the engine has not loaded adapter 'sentiment'"), "\(message)")
            #expect(message.contains("loco adapters install sentiment"))
        }

        /// loco eval asks before its first pass: an engine without the adapters would make every
        /// record an error and the scores a table of zeros.
        @Test func anEvalOnAnEngineWithoutTheAdaptersStopsBeforeItsFirstPass() throws {
            let engine = try ExtraEngines(ports: [8188])
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("loco-eval-unloaded-\(UUID())")
            defer { try? FileManager.default.removeItem(at: out) }
            let flags = "--backend llama-server --url \(engine.urls[0]) --max-tokens 4 --limit 2 -o \(quoted(out.path))"
            let expected = "the engine has not loaded \(ExtraEngines.shipped.sorted().joined(separator: ", ")): run `loco adapters install --all`"
            for command in ["loco-eval --mixed \(flags)", "loco-eval sentiment --ablation \(flags)"] {
                let r = try shell(command)
                #expect(r.status == 2 && r.stderr.contains(expected), "\(command): \(r.stderr)")
            }
            let gate = try shell("loco-eval sentiment --no-update \(flags)")
            #expect(gate.status == 2 && gate.stderr.contains("the engine has not loaded sentiment: "), "\(gate.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "nothing measured, nothing written")
        }
    }
}
