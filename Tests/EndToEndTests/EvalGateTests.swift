import Foundation
import Testing

/// `loco eval`: the gate's rules on hand-made results, and a real run on the engine.
@Suite struct EvalVerdictTests {
    func verdict(base: Double, adapter: Double, oodBase: Double, oodAdapter: Double) throws -> ShellResult {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let results = #"{"adapter":"math-reasoning","base_score":\#(base),"adapter_score":\#(adapter),"out_of_domain":[{"benchmark_of":"code-python","base_score":\#(oodBase),"adapter_score":\#(oodAdapter),"drop":\#(((oodBase - oodAdapter) * 10000).rounded() / 10000)}]}"#
        try results.write(to: dir.appendingPathComponent("results.json"), atomically: true, encoding: .utf8)
        return try shell("loco eval --check \(quoted(dir.appendingPathComponent("results.json").path))")
    }

    @Test func anAdapterThatBeatsTheBaseAndHoldsOutOfDomainPasses() throws {
        let r = try verdict(base: 0.2, adapter: 0.46, oodBase: 0.3, oodAdapter: 0.26)
        #expect(r.status == 0)
        #expect(r.stdout == "PASS math-reasoning: 0.46 vs base 0.2 (+26 points); out of domain within 5 points\n")
    }

    @Test func aWinInsideTheNoiseIsNoWin() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("results.json").path
        try #"{"adapter":"a","base_score":0.02,"adapter_score":0.04,"base_ci95":[0.004,0.105],"adapter_ci95":[0.011,0.135],"out_of_domain":[]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let r = try shell("loco eval --check \(quoted(path))")
        #expect(r.status == 1, "a win inside the noise is no win")
        #expect(r.stdout == "FAIL a: 0.04 vs base 0.02 is within the noise: the lower end of its 95% interval, 0.011, does not clear the base model's score\n")
        try #"{"adapter":"a","base_score":0.1,"adapter_score":0.6,"base_ci95":[0.04,0.21],"adapter_ci95":[0.46,0.72],"out_of_domain":[]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let clear = try shell("loco eval --check \(quoted(path))")
        #expect(clear.status == 0)
        #expect(clear.stdout == "PASS a: 0.6 vs base 0.1 (+50 points); 95% interval from 0.46; out of domain within 5 points\n")
    }

    @Test func notBeatingTheBaseFailsAndSaysSo() throws {
        let r = try verdict(base: 0.3, adapter: 0.3, oodBase: 0.3, oodAdapter: 0.3)
        #expect(r.status == 1)
        #expect(r.stdout == "FAIL math-reasoning: does not beat the base model on its benchmark: 0.3 vs 0.3\n")
    }

    @Test func furtherBenchmarksAreShownAndMayNotDropMoreThanFivePoints() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("results.json").path
        func check(_ gsmBase: Double, _ gsmAdapter: Double) throws -> ShellResult {
            try #"{"adapter":"m","base_score":0.1,"adapter_score":0.6,"adapter_ci95":[0.46,0.72],"out_of_domain":[],"more_benchmarks":[{"name":"gsm8k","base_score":\#(gsmBase),"adapter_score":\#(gsmAdapter),"drop":\#(((gsmBase - gsmAdapter) * 10000).rounded() / 10000)}]}"#
                .write(toFile: path, atomically: true, encoding: .utf8)
            return try shell("loco eval --check \(quoted(path))")
        }
        let held = try check(0.04, 0.02)
        #expect(held.status == 0)
        #expect(held.stdout == "PASS m: 0.6 vs base 0.1 (+50 points); 95% interval from 0.46; out of domain within 5 points; gsm8k 0.02 vs 0.04\n")
        let dropped = try check(0.3, 0.2)
        #expect(dropped.status == 1)
        #expect(dropped.stdout == "FAIL m: drops 10 points on its own gsm8k benchmark (more than 5)\n")
    }

    @Test func aBenchmarkOfSeveralSourcesIsJudgedOnEach() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("results.json").path
        func check(paraphraseBase: Double, paraphraseAdapter: Double) throws -> ShellResult {
            let drop = ((paraphraseBase - paraphraseAdapter) * 10000).rounded() / 10000
            try #"{"adapter":"w","base_score":0.05,"adapter_score":0.4,"adapter_ci95":[0.35,0.45],"out_of_domain":[],"by_source":[{"source":"JFLEG test (Napoles et al. 2017; CC BY-NC-SA 4.0)","items":60,"base_score":0.05,"adapter_score":0.6,"drop":-0.55},{"source":"MRPC validation (GLUE)","items":60,"base_score":\#(paraphraseBase),"adapter_score":\#(paraphraseAdapter),"drop":\#(drop)}]}"#
                .write(toFile: path, atomically: true, encoding: .utf8)
            return try shell("loco eval --check \(quoted(path))")
        }
        let both = try check(paraphraseBase: 0.05, paraphraseAdapter: 0.2)
        #expect(both.status == 0)
        #expect(both.stdout == "PASS w: 0.4 vs base 0.05 (+35 points); 95% interval from 0.35; by source: JFLEG test 0.6 vs 0.05, MRPC validation 0.2 vs 0.05; out of domain within 5 points\n")
        let lost = try check(paraphraseBase: 0.3, paraphraseAdapter: 0.2)
        #expect(lost.status == 1, "a gain on one source does not hide a loss on another")
        #expect(lost.stdout == "FAIL w: drops 10 points on MRPC validation, a source of its benchmark (more than 5)\n")
    }

    @Test func droppingMoreThanFivePointsOutOfDomainFails() throws {
        let r = try verdict(base: 0.2, adapter: 0.5, oodBase: 0.4, oodAdapter: 0.32)
        #expect(r.status == 1)
        #expect(r.stdout == "FAIL math-reasoning: drops 8 points out of domain on code-python (more than 5)\n")
    }
}

extension RealEngine {
    @Suite struct EvalGateTests {
        let engine = ["LOCO_BACKEND": "llama-server", "LOCO_URL": E2E.engineURL ?? ""]

        /// A registry of its own whose benchmarks are two real items each, so a whole run is short.
        func smallRegistry(in parent: URL? = nil) throws -> URL {
            let dir = parent ?? FileManager.default.temporaryDirectory.appendingPathComponent("eval-gate-\(UUID())")
            let fm = FileManager.default
            var registry = try String(contentsOf: E2E.root.appendingPathComponent("adapters/registry.yaml"), encoding: .utf8)
            for adapter in ["math-reasoning", "code-python"] {
                let folder = dir.appendingPathComponent("\(adapter)/eval")
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
                let originals = E2E.root.appendingPathComponent("adapters/\(adapter)/eval")
                for file in try fm.contentsOfDirectory(atPath: originals.path) where file.hasPrefix("benchmark") && file.hasSuffix(".jsonl") {
                    let original = originals.appendingPathComponent(file)
                    let items = try String(contentsOf: original, encoding: .utf8).split(separator: "\n").prefix(2).joined(separator: "\n") + "\n"
                    try items.write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
                    let old = try shell("sha256sum \(quoted(original.path)) | cut -d' ' -f1").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    let new = try shell("sha256sum \(quoted(folder.appendingPathComponent(file).path)) | cut -d' ' -f1").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    registry = registry.replacingOccurrences(of: old, with: new)
                }
            }
            // The test engine loaded the shipped LoRAs from adapters/; here every adapter answers with its prompt.
            registry = registry.replacingOccurrences(of: #"    weights: adapter\.gguf\n    weights_sha256: "[0-9a-f]{64}"\n    weights_bytes: [0-9]+"#,
                                                     with: "    weights: null", options: .regularExpression)
            try registry.write(to: dir.appendingPathComponent("registry.yaml"), atomically: true, encoding: .utf8)
            return dir
        }

        @Test func aRunWritesResultsUpdatesTheRegistryAndResumes() throws {
            let dir = try smallRegistry()
            defer { try? FileManager.default.removeItem(at: dir) }
            let env = engine.merging(["LOCO_REGISTRY": dir.appendingPathComponent("registry.yaml").path]) { $1 }
            let registryBeforeLimitedRun = try String(contentsOf: dir.appendingPathComponent("registry.yaml"), encoding: .utf8)
            let r = try shell("loco eval math-reasoning --against code-python --max-tokens 24 --limit 100", environment: env)
            #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
            #expect(r.stdout.hasPrefix("PASS math-reasoning") || r.stdout.hasPrefix("FAIL math-reasoning"))
            let results = try jsonObject(try String(contentsOf: dir.appendingPathComponent("math-reasoning/eval/results.json"), encoding: .utf8))
            #expect(results["base_score"] is Double || results["base_score"] is Int)
            #expect((results["benchmark"] as? [String: Any])?["items"] as? Int == 2)
            #expect(((results["out_of_domain"] as? [[String: Any]])?.first)?["benchmark_of"] as? String == "code-python")
            // The gate is across sources; the in-source tier beside it is measured, with its own runs.
            #expect((results["benchmark"] as? [String: Any])?["file"] as? String == "eval/benchmark-cross.jsonl")
            let tier = try #require((results["more_benchmarks"] as? [[String: Any]])?.first)
            #expect(tier["name"] as? String == "in-source" && tier["items"] as? Int == 2 && tier["file"] as? String == "eval/benchmark-easy.jsonl")
            #expect((tier["adapter_ci95"] as? [Double])?.count == 2 && tier["drop"] != nil)
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("math-reasoning/eval/runs/adapter-in-source.jsonl").path))
            #expect(r.stderr.contains("math-reasoning's in-source benchmark"), "\(r.stderr)")
            #expect((results["settings"] as? [String: Any])?["temperature"] as? Int == 0)
            #expect((results["engine"] as? [String: Any])?["backend"] as? String == "llama-server")
            // --limit was given: the registry keeps its scores.
            #expect(try String(contentsOf: dir.appendingPathComponent("registry.yaml"), encoding: .utf8) == registryBeforeLimitedRun)

            // -o puts the results elsewhere; --no-update leaves the registry as it was.
            let elsewhere = dir.appendingPathComponent("elsewhere")
            let before = try String(contentsOf: dir.appendingPathComponent("registry.yaml"), encoding: .utf8)
            let moved = try shell("loco eval math-reasoning --against code-python --max-tokens 8 --no-update -o \(quoted(elsewhere.path))", environment: env)
            #expect(moved.status <= 1, "\(moved.stderr)")
            #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("results.json").path))
            #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("runs/base.jsonl").path))
            #expect(try String(contentsOf: dir.appendingPathComponent("registry.yaml"), encoding: .utf8) == before)

            let again = try shell("loco eval math-reasoning --against code-python --max-tokens 24", environment: env)
            #expect(again.stderr.contains("resuming") && again.stderr.contains("2 records done"), "\(again.stderr)")
            let registry = try String(contentsOf: dir.appendingPathComponent("registry.yaml"), encoding: .utf8)
            func mathBlock(_ registry: String) -> String {
                registry.components(separatedBy: "\n  math-reasoning:\n")[1].components(separatedBy: "\n  code-python:\n")[0]
            }
            let block = mathBlock(registry)
            #expect(block != mathBlock(registryBeforeLimitedRun) && !block.contains("benchmark_score: null") && block.contains("improvement: \""),
                    "a full run records its scores:\n\(block)")

            // Records made under other settings (here a token limit; after retraining, other
            // weights) are not resumed: each pass starts again and says why.
            let changed = try shell("loco eval math-reasoning --against code-python --max-tokens 16 --no-update", environment: env)
            #expect(changed.status <= 1, "\(changed.stderr)")
            #expect(!changed.stderr.contains("resuming") && changed.stderr.contains("run adapter: earlier records were made with other weights, router or settings"),
                    "\(changed.stderr)")
        }

        @Test func anAblationRunsEveryLayerAndTheReportShowsThem() throws {
            let dir = try smallRegistry()
            defer { try? FileManager.default.removeItem(at: dir) }
            let env = engine.merging(["LOCO_REGISTRY": dir.appendingPathComponent("registry.yaml").path]) { $1 }
            let r = try shell("loco eval math-reasoning --ablation --max-tokens 16", environment: env)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.lines.count == 5 && r.lines[0].hasPrefix("base model: ") && r.lines[4].hasPrefix("full stack: "), "\(r.stdout)")
            let ablation = try jsonObject(try String(contentsOf: dir.appendingPathComponent("math-reasoning/eval/ablation.json"), encoding: .utf8))
            let configs = try #require(ablation["configs"] as? [[String: Any]])
            #expect(configs.map { $0["config"] as? String } == ["base", "re2", "votes", "adapter", "full"])
            #expect(configs.allSatisfy { $0["items"] as? Int == 2 && ($0["ci95"] as? [Double])?.count == 2 })
            let sent = try String(contentsOf: dir.appendingPathComponent("math-reasoning/eval/runs/ablation-votes.jsonl"), encoding: .utf8)
            #expect(sent.contains(#""sampling":{"requested":5"#), "the votes layer draws up to 5 samples")
            let report = try shell("loco report -o \(quoted(dir.appendingPathComponent("out").path))", environment: env)
            #expect(report.status == 0, "\(report.stderr)")
            #expect(report.stdout.contains("| math-reasoning | numeric_match (n=2) | ablation.json (all items, 16 tokens) |"), "\(report.stdout)")
        }

        @Test func theMixedBenchmarkIsAnsweredFiveWaysAndLeadsTheReport() throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("eval-mixed-\(UUID())")
            defer { try? FileManager.default.removeItem(at: root) }
            let adapters = try smallRegistry(in: root.appendingPathComponent("adapters"))
            // One question of each domain from the shipped mixed benchmark, where --mixed looks for it.
            var firstOfEach: [String: String] = [:]
            for line in try String(contentsOf: E2E.root.appendingPathComponent("bench/data/mixed.jsonl"), encoding: .utf8).split(separator: "\n") {
                let domain = try #require(try jsonObject(String(line))["domain"] as? String)
                if firstOfEach[domain] == nil { firstOfEach[domain] = String(line) }
            }
            let data = root.appendingPathComponent("bench/data")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try (firstOfEach.keys.sorted().map { firstOfEach[$0]! }.joined(separator: "\n") + "\n")
                .write(to: data.appendingPathComponent("mixed.jsonl"), atomically: true, encoding: .utf8)
            let env = engine.merging(["LOCO_REGISTRY": adapters.appendingPathComponent("registry.yaml").path]) { $1 }

            let r = try shell("loco eval --mixed --max-tokens 16", environment: env)
            #expect(r.status == 0, "\(r.stderr)")
            // Required: the lines below are read by index, and a short answer must fail the test, not crash the suite.
            try #require(r.lines.count == 7, "a header, five configurations, the routing line:\n\(r.stdout)")
            #expect(r.lines[0].split(separator: " ") == ["overall", "arithmetic", "code-python", "general", "math-reasoning", "sentiment", "writing-academic"])
            #expect(r.lines[1].hasPrefix("base model ") && r.lines[3].hasPrefix("routed stack") && r.lines[4].hasPrefix("right adapter forced")
                    && r.lines[6].hasPrefix("routing on these 6 questions: macro-F1 "), "\(r.stdout)")
            let results = try jsonObject(try String(contentsOf: root.appendingPathComponent("bench/mixed/results.json"), encoding: .utf8))
            let configs = try #require(results["configs"] as? [[String: Any]])
            #expect(configs.map { $0["config"] as? String } == ["base", "re2", "routed", "right", "votes"])
            #expect(configs.allSatisfy { ($0["domains"] as? [String: Any])?.count == 6 && $0["items"] as? Int == 6 })
            // Forced right: each question answered by its domain's adapter, general ones by the base model.
            let right = try String(contentsOf: root.appendingPathComponent("bench/mixed/runs/mixed-right.jsonl"), encoding: .utf8)
            for line in right.split(separator: "\n") {
                let record = try jsonObject(String(line))
                let domain = try #require(record["domain"] as? String)
                #expect((record["adapter"] as? String) == (domain == "general" ? nil : domain), "\(domain)")
            }
            let votes = try String(contentsOf: root.appendingPathComponent("bench/mixed/runs/mixed-votes.jsonl"), encoding: .utf8)
            #expect(votes.contains(#""sampling":{"requested":5"#), "the votes pass draws up to 5 samples")
            let report = try shell("loco report -o \(quoted(root.appendingPathComponent("out").path))", environment: env)
            #expect(report.status == 0, "\(report.stderr)")
            #expect(report.stdout.hasPrefix("## What users ask: the mixed benchmark\n\n|  | overall | arithmetic |"), "\(report.stdout)")
        }

        @Test func aBenchmarkThatChangedIsRefused() throws {
            let dir = try smallRegistry()
            defer { try? FileManager.default.removeItem(at: dir) }
            try "{\"id\":\"x\",\"query\":\"1+1?\",\"expected\":\"2\"}\n".write(to: dir.appendingPathComponent("math-reasoning/eval/benchmark-easy.jsonl"), atomically: true, encoding: .utf8)
            let r = try shell("loco eval math-reasoning --against code-python --limit 1", environment: engine.merging(["LOCO_REGISTRY": dir.appendingPathComponent("registry.yaml").path]) { $1 })
            // The in-source tier changed: refused before any pass runs, not after the first four.
            #expect(r.status == 2)
            #expect(r.stderr.contains("does not match the registry's sha256 for it"), "\(r.stderr)")
            #expect(!r.stderr.contains("loco: run "), "\(r.stderr)")
        }
    }
}
