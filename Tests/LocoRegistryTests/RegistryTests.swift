import Foundation
import Testing
@testable import LocoKit
@testable import LocoRegistry
import LocoTestSupport

@Suite struct RegistryTests {
    /// The checkout's adapters/ folder: the shipped registry and each adapter's files.
    static let adapters = checkoutRoot.appendingPathComponent("adapters")

    /// A JSON Lines file's records, one object per line.
    static func jsonLines(_ file: URL) throws -> [JSONObject] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map { try #require(try JSONParser.parse(String($0)).objectValue) }
    }

    @Test func theShippedRegistryHasFiveAdaptersAndTheTrainedOnesCarryTheirWeights() throws {
        let url = Self.adapters.appendingPathComponent("registry.yaml")
        let registry = try Registry.load(url)
        #expect(registry.names == ["arithmetic", "code-python", "math-reasoning", "sentiment", "writing-academic"])
        for name in registry.names {
            let entry = registry[name]!
            #expect(!entry.routerKeywords.isEmpty)
            #expect(!entry.systemPrompt.isEmpty)
            if entry.weights != nil {
                // The weights the registry vouches for are the ones in the folder,
                let weights = try #require(registry.weightsURL(of: name))
                #expect(try sha256Hex(of: weights) == entry.weightsSHA256)
                #expect((try FileManager.default.attributesOfItem(atPath: weights.path)[.size] as? Int) == entry.weightsBytes)
                // and an adapter ships only when its gate passed: the lower end of its interval above the base model's score.
                let data = try Data(contentsOf: url.deletingLastPathComponent().appendingPathComponent("\(name)/eval/results.json"))
                let results = try #require(try JSONParser.parse([UInt8](data)).objectValue)
                let lower = try #require(results["adapter_ci95"]?.arrayValue?.first?.doubleValue)
                #expect(lower > results["base_score"]?.doubleValue ?? 1, "\(name) ships weights without passing its gate")
            }
            // A score is there only when `loco eval` measured it, and then it is the results file's.
            let results = url.deletingLastPathComponent().appendingPathComponent("\(name)/eval/results.json")
            if let score = entry.benchmarkScore {
                let data = try Data(contentsOf: results)
                #expect(try JSONParser.parse([UInt8](data)).objectValue?["adapter_score"]?.doubleValue == score)
            } else {
                #expect(!FileManager.default.fileExists(atPath: results.path))
            }
            #expect(entry.benchmarkSHA256?.count == 64 && entry.benchmark?.hasPrefix("eval/benchmark") == true)
            for more in entry.moreBenchmarks ?? [] {
                let file = url.deletingLastPathComponent().appendingPathComponent("\(name)/\(more.file)")
                #expect(try sha256Hex(of: file) == more.sha256, "\(name)'s \(more.name) benchmark")
            }
            #expect(entry.quantization == "Q4_K_M")
        }
        // Both math adapters answer with a program the sandbox runs (math-reasoning's recipe 4).
        #expect(registry["math-reasoning"]?.answerFormat == "program")
        #expect(registry["arithmetic"]?.answerFormat == "program")
        #expect(registry.names.allSatisfy { registry[$0]?.weights != nil })
    }

    /// An adapter that names its training and gate sources is gated across sources: every training
    /// item comes from a training source, every gate item from a gate source, and no source is both.
    @Test func aCrossSourceGateSharesNoSourceWithTraining() throws {
        let url = Self.adapters.appendingPathComponent("registry.yaml")
        let registry = try Registry.load(url)
        func sources(_ file: URL) throws -> Set<String> {
            let text = try String(contentsOf: file, encoding: .utf8)
            return Set(try text.split(separator: "\n").map { line in
                try #require(try JSONParser.parse(String(line)).objectValue?["source"]?.stringValue, "\(file.lastPathComponent): a line without its source")
            })
        }
        let declared = registry.names.filter { registry[$0]?.gateSources != nil }
        #expect(declared == registry.names, "every adapter's gate is across sources")
        for name in declared {
            let entry = try #require(registry[name]), folder = url.deletingLastPathComponent().appendingPathComponent(name)
            let training = Set(try #require(entry.trainingSources)), gate = Set(try #require(entry.gateSources))
            #expect(training.isDisjoint(with: gate), "\(name): \(training.intersection(gate)) both trains and gates")
            #expect(gate.count >= 2, "\(name): a cross-source gate draws on two sources at least")
            #expect(try sources(folder.appendingPathComponent("training/dataset.jsonl")) == training, "\(name)'s training data")
            // Until it is measured, a cross-source gate may wait beside the gate as the benchmark named `cross`.
            let gateFile = try #require(entry.moreBenchmarks?.first { $0.name == "cross" }?.file ?? entry.benchmark)
            #expect(try sources(folder.appendingPathComponent(gateFile)) == gate, "\(name)'s cross-source gate benchmark")
        }
    }

    /// A thesis is asked for each side of a motion, and scored against that side's key points only.
    @Test func thesisItemsAskForOneSideAndListItsClaims() throws {
        let items = try Self.jsonLines(Self.adapters.appendingPathComponent("writing-academic/eval/benchmark-thesis.jsonl"))
        #expect(items.count == 62)
        for item in items {
            let id = item["id"]?.stringValue ?? "", query = item["query"]?.stringValue?.lowercased() ?? ""
            let references = item["expected"]?.arrayValue ?? []
            #expect(item["metric"]?.stringValue == "rouge_l" && references.count >= 1 && query.contains("thesis"), "\(id)")
            #expect(id.hasSuffix("-against") == (query.contains("against") || query.contains("opposing")), "\(id): \(query)")
        }
        #expect(Set(items.map { $0["id"]?.stringValue ?? "" }).count == 62)
    }

    /// What writing-academic's recipes 3 to 6 trained on from Perspectrum (theses, paraphrases)
    /// argues none of the thesis benchmark's motions: no training prompt names a motion, and no
    /// completion is a key point.
    @Test func perspectrumTrainingHoldsNoMotionOrKeyPointOfTheBenchmark() throws {
        func rows(_ path: String) throws -> [JSONObject] {
            try Self.jsonLines(Self.adapters.appendingPathComponent("writing-academic/\(path)"))
        }
        func slug(_ text: String) -> String {
            text.lowercased().split { !($0.isLetter || $0.isNumber) }.joined(separator: "-")
        }
        let benchmark = try rows("eval/benchmark-thesis.jsonl")
        let motions = Set(benchmark.compactMap { $0["id"]?.stringValue?.dropFirst("argkp-".count).split(separator: "-").dropLast().joined(separator: "-") })
        let keyPoints = Set(benchmark.flatMap { $0["expected"]?.arrayValue ?? [] }.compactMap { $0.stringValue.map(slug) })
        #expect(motions.count == 31 && keyPoints.count > 62)
        // Recipes 3 to 6 (recipe 6 holds 80 theses, the others 240 rows each).
        let recipes = ["training-thesis", "training-thesis-two", "training-paraphrase", "training-thesis-few"]
        let byRecipe = try recipes.map { recipe in
            try rows("\(recipe)/training/dataset.jsonl").filter { row in
                ["thesis-", "paraphrase-"].contains { row["id"]?.stringValue?.hasPrefix($0) == true }
            }
        }
        #expect(byRecipe.map(\.count) == [240, 240, 240, 80])
        let perspectrum = byRecipe.flatMap { $0 }
        for row in perspectrum {
            let id = row["id"]?.stringValue ?? "", prompt = slug(row["prompt"]?.stringValue ?? ""), answer = slug(row["completion"]?.stringValue ?? "")
            #expect(row["source"]?.stringValue?.hasPrefix("Perspectrum") == true, "\(id)")
            #expect(!motions.contains { prompt.contains($0) }, "\(id) asks about a benchmark motion")
            #expect(!keyPoints.contains(answer) && !keyPoints.contains { prompt.contains($0) }, "\(id) holds a benchmark key point")
        }
    }

    @Test func keywordListsAndMapsBothWork() throws {
        let registry = try testRegistry()
        #expect(registry["writing-academic"]?.routerKeywords == ["summarize": 1, "essay": 1])
        #expect(registry["math-reasoning"]?.routerKeywords["calculate"] == 2)
    }

    @Test func aDecodedCopyIsUsedOnlyForTheSameText() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-registry-cache-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let shipped = Self.adapters.appendingPathComponent("registry.yaml")
        let url = dir.appendingPathComponent("adapters/registry.yaml")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var text = try String(contentsOf: shipped, encoding: .utf8)
        try text.write(to: url, atomically: true, encoding: .utf8)
        let cache = dir.appendingPathComponent("cache")

        let parsed = try Registry.load(url, cacheDirectory: cache)
        let copy = RegistryCache(directory: cache).file
        #expect(FileManager.default.fileExists(atPath: copy.path))
        #expect(try Registry.load(url, cacheDirectory: cache) == parsed)
        #expect(try Registry.load(url, cacheDirectory: nil) == parsed)

        // The copy answers only for the text it was made from: an edit is parsed afresh, mistakes included.
        text = text.replacingOccurrences(of: "Q4_K_M", with: "Q5_K_M")
        try text.write(to: url, atomically: true, encoding: .utf8)
        #expect(try Registry.load(url, cacheDirectory: cache)["sentiment"]?.quantization == "Q5_K_M")
        try (text.replacingOccurrences(of: "    version: ", with: "    versio: ")).write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try Registry.load(url, cacheDirectory: cache) }

        // A copy someone tampered with is checked like the file: a weights path out of the folder is refused.
        try text.write(to: url, atomically: true, encoding: .utf8)
        _ = try Registry.load(url, cacheDirectory: cache)
        let tampered = try String(contentsOf: copy, encoding: .utf8).replacingOccurrences(of: "\"adapter.gguf\"", with: "\"..\\/..\\/x.gguf\"")
        #expect(tampered.contains("x.gguf"))
        try tampered.write(to: copy, atomically: true, encoding: .utf8)
        #expect(try Registry.load(url, cacheDirectory: cache)["sentiment"]?.weights == "adapter.gguf")
        // A copy an older build made for the same text lacks the fields it did not know (no format,
        // no router_forms): it is parsed again, not read as an adapter that claims no form.
        _ = try Registry.load(url, cacheDirectory: cache)
        var older = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: copy)) as? [String: Any])
        older["format"] = nil
        var adapters = try #require(older["adapters"] as? [String: [String: Any]])
        adapters["math-reasoning"]?["router_forms"] = nil
        older["adapters"] = adapters
        try JSONSerialization.data(withJSONObject: older).write(to: copy)
        #expect(try Registry.load(url, cacheDirectory: cache)["math-reasoning"]?.routerForms == ["equation"])
        // And an unreadable cache folder only means parsing.
        #expect(try Registry.load(url, cacheDirectory: URL(fileURLWithPath: "/dev/null/cache")) == Registry.load(url, cacheDirectory: nil))
    }

    @Test func aMissingFieldIsNamed() {
        do {
            _ = try Registry.parse("adapters:\n  x:\n    version: \"1\"\n")
            Issue.record("expected an error")
        } catch let error as ConfigError {
            #expect(error.description.contains("missing field 'base_model'"), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite struct RegistryFileTests {
    @Test func aFieldIsSetInItsAdaptersBlockAndCommentsStay() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID()).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try testRegistryYAML.replacingOccurrences(of: "    answer_format: number\n", with: "    answer_format: number\n    # measured by loco eval\n    benchmark_score: null\n")
            .replacingOccurrences(of: "    system_prompt: \"Write well.\"\n", with: "    system_prompt: \"Write well.\"\n    benchmark_score: null\n")
            .write(to: url, atomically: true, encoding: .utf8)
        try RegistryFile.set("benchmark_score", of: "writing-academic", to: "0.31", in: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("    # measured by loco eval\n    benchmark_score: null\n"), "math-reasoning's is untouched")
        #expect(text.contains("    system_prompt: \"Write well.\"\n    benchmark_score: 0.31\n"))
        #expect(try Registry.load(url)["writing-academic"]?.benchmarkScore == 0.31)
        #expect(throws: ConfigError.self) { try RegistryFile.set("no_such_field", of: "writing-academic", to: "1", in: url) }
    }
}
