import Foundation
import Testing
import LocoTestSupport

/// `loco-adapters` against the Ollama wire format (blobs, create, delete) on the test double,
/// and the checks that keep a damaged or escaping adapter out of any engine.
extension FakeEngine {
    @Suite struct AdapterInstallTests {
        let url: String
        let log: String
        let state = ScratchDirectory.file("loco-installed", suffix: ".json").path
        let weights = E2E.root.appendingPathComponent("adapters/sentiment/adapter.gguf").path

        init() throws {
            let server = try FakeOllama.shared.get()
            url = "http://127.0.0.1:\(server.port)"
            log = server.log
        }

        func sent(after count: Int) throws -> [[String: Any]] {
            try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").dropFirst(count).map { try jsonObject(String($0)) }
        }

        func logCount() -> Int { (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").count ?? 0 }

        func sha256(_ path: String) throws -> String {
            String(try shell("sha256sum \(quoted(path))").stdout.prefix(64))
        }

        @Test func installUploadsTheLoRAOnceAndCreatesAModelFromTheBase() throws {
            let digest = try sha256(weights)
            let before = logCount()
            let r = try shell("loco-adapters install sentiment --backend ollama --url \(url)", environment: ["LOCO_ADAPTERS_STATE": state])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == "installed sentiment (ollama \(url) as locollm-sentiment)\n")
            let calls = try sent(after: before)
            #expect(calls.first?["method"] as? String == "HEAD")
            #expect(calls.first?["path"] as? String == "/api/blobs/sha256:\(digest)")
            let upload = try #require(calls.first { $0["method"] as? String == "POST" })
            #expect(upload["bytes"] as? Int == (try FileManager.default.attributesOfItem(atPath: weights)[.size] as? Int))
            let create = try #require(calls.first { $0["path"] as? String == "/api/create" }?["body"] as? [String: Any])
            #expect(create["model"] as? String == "locollm-sentiment")
            #expect(create["from"] as? String == "gemma3:270m")
            #expect(create["adapters"] as? [String: String] == ["adapter.gguf": "sha256:\(digest)"])

            // Present already: no second upload.
            let again = logCount()
            #expect(try shell("loco-adapters install sentiment --backend ollama --url \(url)", environment: ["LOCO_ADAPTERS_STATE": state]).status == 0)
            #expect(try sent(after: again).filter { $0["method"] as? String == "POST" && ($0["path"] as? String ?? "").hasPrefix("/api/blobs/") }.isEmpty)

            // Generation asks for the adapter's model and says which LoRA answered.
            let gen = try shell(#"echo '{"adapter":"sentiment","prompt":"Q: a fine film\nA:"}' | loco-gen --backend ollama --url \#(url)"#)
            #expect(gen.status == 0, "\(gen.stderr)")
            let record = try jsonObject(gen.stdout)
            #expect(record["lora"] as? String == "sentiment")
            #expect((try sent(after: again).last?["body"] as? [String: Any])?["model"] as? String == "locollm-sentiment")

            let listed = try shell("loco-adapters list", environment: ["LOCO_ADAPTERS_STATE": state])
            #expect(listed.lines.first { $0.hasPrefix("sentiment ") }?.contains(" installed ") == true, "\(listed.stdout)")

            let removed = try shell("loco-adapters remove sentiment --backend ollama --url \(url)", environment: ["LOCO_ADAPTERS_STATE": state])
            #expect(removed.status == 0)
            #expect(try sent(after: again).last?["method"] as? String == "DELETE")
            #expect(try shell("loco-adapters paths", environment: ["LOCO_ADAPTERS_STATE": state]).stdout.isEmpty)
        }

        @Test func aBatchOnOllamaRunsGroupedByAdapterAndComesOutInInputOrder() throws {
            let env = ["LOCO_ADAPTERS_STATE": state, "LOCO_BACKEND": "ollama", "LOCO_URL": url, "LOCO_MODEL": "gemma3:270m"]
            #expect(try shell("loco-adapters install sentiment", environment: env).status == 0)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-group-\(UUID())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let lines = (1...6).map { i in #"{"id":\#(i),"query":"review \#(i)","adapter":\#(i % 2 == 0 ? "null" : "\"sentiment\"")}"# }
            try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("in.jsonl"), atomically: true, encoding: .utf8)
            // One record at a time, the order requests reach the engine is the order the batch
            // dispatches them: alternating input would switch models five times; grouped, once.
            // (With several at a time, arrival order is the scheduler's, so only the output is checked.)
            let before = logCount()
            let one = try shell("loco run in.jsonl --parallel 1 -o one.jsonl", environment: env, directory: dir.path)
            #expect(one.status == 0, "\(one.stderr)")
            let models = try sent(after: before).filter { $0["path"] as? String == "/api/chat" }.compactMap { ($0["body"] as? [String: Any])?["model"] as? String }
            #expect(models == ["locollm-sentiment", "locollm-sentiment", "locollm-sentiment", "gemma3:270m", "gemma3:270m", "gemma3:270m"],
                    "grouped by adapter, not alternating: \(models)")
            for output in ["one.jsonl", "several.jsonl"] {
                if output == "several.jsonl" {
                    let r = try shell("loco run in.jsonl -o several.jsonl", environment: env, directory: dir.path)
                    #expect(r.status == 0, "\(r.stderr)")
                }
                let out = try String(contentsOf: dir.appendingPathComponent(output), encoding: .utf8).split(separator: "\n").map { try jsonObject(String($0)) }
                #expect(out.map { $0["id"] as? Int } == [1, 2, 3, 4, 5, 6], "\(output)")
                #expect(out.allSatisfy { $0["loco_order"] == nil })
                #expect(out.map { $0["lora"] as? String } == ["sentiment", nil, "sentiment", nil, "sentiment", nil])
            }
        }

        @Test func anAdapterOnlyMeetsTheBaseItWasTrainedFor() throws {
            // An Ollama serving another base: no install, no LoRA at generation, no route to it.
            let other = ["LOCO_ADAPTERS_STATE": state, "LOCO_BACKEND": "ollama", "LOCO_URL": url, "LOCO_MODEL": "qwen3:4b"]
            let before = logCount()
            let install = try shell("loco-adapters install sentiment", environment: other)
            #expect(install.status == 1)
            #expect(install.stderr == "loco-adapters: sentiment: not installed: it was trained for google/gemma-3-270m, and the engine's model is qwen3:4b; a LoRA only works with the base it was trained for\n")
            #expect(((try? sent(after: before)) ?? []).isEmpty, "nothing reached the engine")
            let gen = try shell(#"echo '{"adapter":"sentiment","prompt":"Q: a fine film\nA:"}' | loco-gen"#, environment: other)
            #expect(gen.status == 1)
            #expect(gen.stderr.contains("loco-gen: line 1: sentiment's LoRA does not apply here: it was trained for google/gemma-3-270m, and the engine's model is qwen3:4b; ask the base model instead"), "\(gen.stderr)")
            let query = try shell("loco-query --json 'Is this review positive or negative? A gorgeous, moving film.'", environment: other)
            #expect(query.status == 0, "\(query.stderr)")
            let record = try jsonObject(query.stdout)
            #expect(record["adapter"] is NSNull)
            #expect((record["route"] as? [String: Any])?["fallback"] as? String == "sentiment's LoRA does not apply here: it was trained for google/gemma-3-270m, and the engine's model is qwen3:4b")
            #expect(record["model"] as? String == "qwen3:4b")
            let chat = try shell("echo 'Is this review positive or negative? A gorgeous, moving film.' | loco-chat --no-log", environment: other)
            #expect((chat.stdout + chat.stderr).contains("sentiment's LoRA does not apply here"), "\(chat.stdout) \(chat.stderr)")
            let listed = try shell("loco-adapters list", environment: other)
            #expect(listed.lines.first { $0.hasPrefix("sentiment ") }?.hasSuffix("(does not apply to the engine's model: trained for google/gemma-3-270m)") == true, "\(listed.stdout)")
            // The same base under its Ollama name applies.
            let same = try shell("loco-adapters list --json", environment: other.merging(["LOCO_MODEL": "gemma3:270m"]) { $1 })
            #expect(try same.lines.map(jsonObject).allSatisfy { $0["applies"] as? Bool == true })
        }

        @Test func anOllamaThatRefusesAdaptersGetsAMergedModel() throws {
            let before = logCount()
            let r = try shell("loco-adapters install sentiment --backend ollama --url \(url) --model gemma3:270m-old-ollama",
                              environment: ["LOCO_ADAPTERS_STATE": state], timeout: 600)
            let merger = try shell("ls ${LOCO_CACHE:-$HOME/.cache/locollm}/llama.cpp-*/build/bin/llama-export-lora")
            if merger.status != 0 {
                #expect(r.status == 1)
                #expect(r.stderr.contains("Ollama refused the adapter (unsupported architecture for adapters)"), "\(r.stderr)")
                return
            }
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("installing a merged model"))
            #expect(r.stdout.contains("(merged model)"))
            let creates = try sent(after: before).filter { $0["path"] as? String == "/api/create" }.compactMap { $0["body"] as? [String: Any] }
            #expect(creates.count == 2)
            #expect(creates.last?["files"] != nil && creates.last?["adapters"] == nil)
        }

        @Test func aDamagedWeightsFileIsRefusedEverywhere() throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-damaged-\(UUID())")
            defer { try? FileManager.default.removeItem(at: dir) }
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("sentiment"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: E2E.root.appendingPathComponent("adapters/registry.yaml"), to: dir.appendingPathComponent("registry.yaml"))
            var bytes = try Data(contentsOf: URL(fileURLWithPath: weights))
            bytes[bytes.count / 2] ^= 0x01
            try bytes.write(to: dir.appendingPathComponent("sentiment/adapter.gguf"))
            let env = ["LOCO_REGISTRY": dir.appendingPathComponent("registry.yaml").path, "LOCO_ADAPTERS_STATE": state]
            let before = logCount()

            let verify = try shell("loco-adapters verify sentiment", environment: env)
            #expect(verify.status == 1)
            #expect(verify.stdout.contains("refusing a damaged or replaced file"), "\(verify.stdout)")
            let install = try shell("loco-adapters install sentiment --backend ollama --url \(url)", environment: env)
            #expect(install.status == 1)
            #expect(install.stderr.contains("sentiment: sentiment: \(dir.path)/sentiment/adapter.gguf has sha256"), "\(install.stderr)")
            #expect(((try? sent(after: before)) ?? []).isEmpty, "nothing reached the engine")
            #expect(try shell("loco-adapters paths", environment: env).stdout.isEmpty)
        }
    }
}

extension FakeEngine {
    /// LLM-as-judge through loco-score, against a judge whose grades are known.
    @Suite struct JudgeWireTests {
        @Test func gradesAreAveragedOverRunsWithTheirSpread() throws {
            let server = try FakeOllama.shared.get()
            let url = "http://127.0.0.1:\(server.port)"
            let r = try shell(#"echo '{"query":"Capital of France?","answer":"Paris","expected":"Paris"}' | loco-score --metric judge --backend llama-server --url \#(url) --rubric 'Correct city?'"#)
            #expect(r.status == 0, "\(r.stderr)")
            let score = try #require(try jsonObject(r.stdout)["score"] as? [String: Any])
            // Grades 4, 5 and none: mean 4.5 on 1-5 is 0.875 on 0-1.
            #expect(score["metric"] as? String == "judge")
            #expect(score["value"] as? Double == 0.875)
            #expect((score["grades"] as? [Any])?.count == 3)
            #expect(score["spread"] as? Int == 1)
            let sent = try String(contentsOfFile: server.log, encoding: .utf8).split(separator: "\n").suffix(3).map { try jsonObject(String($0)) }
            let prompt = (sent.last?["body"] as? [String: Any])?["prompt"] as? String ?? ""
            #expect(prompt.contains("Rubric: Correct city?") && prompt.contains("Reference answer: Paris") && prompt.hasSuffix("Grade:"))
            #expect(sent.compactMap { ($0["body"] as? [String: Any])?["seed"] as? Int } == [1, 2, 3])
        }

        @Test func aRubricWithoutTheJudgeMetricIsAUsageError() throws {
            let misuse = try shell("echo '{}' | loco-score --rubric x")
            #expect(misuse.status == 2)
            #expect(misuse.stderr.contains("--rubric goes with --metric judge"))
        }
    }
}
