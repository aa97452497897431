import Foundation
import Testing
import LocoRegistry

@Suite struct UntrustedFileTests {
    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test func aliasBombIsRefusedQuickly() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        yaml += "adapters: *a9\n"
        let started = Date()
        let text = message { _ = try Registry.parse(yaml) }
        #expect(text.contains("expands to more than 100000 YAML nodes"), "\(text)")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func oversizedRegistryIsRefusedBeforeParsing() {
        let yaml = "# " + String(repeating: "x", count: Registry.maxBytes) + "\n"
        #expect(message { _ = try Registry.parse(yaml) }.contains("larger than 1024 KiB"))
    }

    @Test func oversizedConfigFileIsRefusedBeforeReading() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-big-\(UUID())")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("locollm"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(repeating: 0x20, count: 100 << 10).write(to: dir.appendingPathComponent("locollm/config.yaml"))
        #expect(message { _ = try ConfigFile.load(environment: ["XDG_CONFIG_HOME": dir.path]) }.contains("larger than 64 KiB"))
    }

    func registry(name: String = "math", weights: String?) -> String {
        """
        adapters:
          \(name):
            version: "1"
            base_model: b
            quantization: Q4_K_M
            lora_rank: 8
            created: "2026"
            authors: [a]
            description: d
            tags: [t]
            system_prompt: s
            router_keywords: [k]
            weights: \(weights.map { "\"\($0)\"" } ?? "null")
        """
    }

    @Test(arguments: ["../../etc/passwd", "/etc/passwd", "~/x.gguf", "a/../../b", "a//b", ""])
    func weightsPathsThatEscapeAreRefused(path: String) {
        #expect(message { _ = try Registry.parse(registry(weights: path)) }.contains("must stay inside adapters/math/"))
    }

    @Test func furtherBenchmarkPathsThatEscapeAreRefused() {
        let yaml = registry(weights: nil) + "\n    more_benchmarks:\n      - {name: hard, file: ../../etc/passwd, sha256: x, metric: pass@1}\n"
        #expect(message { _ = try Registry.parse(yaml) }.contains("more_benchmarks hard path '../../etc/passwd' must stay inside adapters/math/"))
        let named = registry(weights: nil) + "\n    more_benchmarks:\n      - {name: \"a b\", file: eval/b.jsonl, sha256: x, metric: pass@1}\n"
        #expect(message { _ = try Registry.parse(named) }.contains("more_benchmarks name 'a b'"))
    }

    @Test func weightsInsideTheFolderAreFine() throws {
        #expect(try Registry.parse(registry(weights: "lora/adapter.gguf"))["math"]?.weights == "lora/adapter.gguf")
    }

    @Test(arguments: ["../evil", ".hidden", "Has Space", "a/b"])
    func adapterNamesThatAreNotFolderNamesAreRefused(name: String) {
        #expect(message { _ = try Registry.parse(registry(name: "\"\(name)\"", weights: nil)) }.contains("adapter name"))
    }

    @Test func brokenYAMLSaysWhere() {
        let text = message { _ = try Registry.parse("adapters: [unclosed\n") }
        #expect(text.hasPrefix("registry: line 2: "), "\(text)")
        let tab = message { _ = try Registry.parse("adapters:\n  math:\n\tversion: 1\n") }
        #expect(tab.hasPrefix("registry: line 3: "), "\(tab)")
    }

    @Test func aFieldOfTheWrongTypeIsNamedWithItsLine() {
        let text = message { _ = try Registry.parse(registry(weights: nil).replacingOccurrences(of: "lora_rank: 8", with: "lora_rank: eight")) }
        #expect(text == "registry: field 'adapters.math.lora_rank' must be Int: expected Int at line 6, found 'eight'", "\(text)")
        let missing = message { _ = try Registry.parse(registry(weights: nil).replacingOccurrences(of: "    base_model: b\n", with: "")) }
        #expect(missing.contains("missing field 'base_model' in adapters.math"), "\(missing)")
        let duplicate = message { _ = try Registry.parse(registry(weights: nil) + "\n    tags: [u]\n") }
        #expect(duplicate == "registry: line 14: duplicate key 'tags'", "\(duplicate)")
    }

    @Test func scalarsAreReadAsTheirFieldsWantThem() throws {
        // Unquoted, `version: 1.2` and `created: 2026` are still the strings their fields hold;
        // `lora_rank: 8` is a number; an anchor and its alias give the same list twice.
        let yaml = registry(weights: nil).replacingOccurrences(of: "version: \"1\"", with: "version: 1.2")
            .replacingOccurrences(of: "created: \"2026\"", with: "created: 2026")
            .replacingOccurrences(of: "authors: [a]", with: "authors: &people [a, b]")
            .replacingOccurrences(of: "tags: [t]", with: "tags: *people")
        let entry = try #require(try Registry.parse(yaml)["math"])
        #expect(entry.version == "1.2" && entry.created == "2026" && entry.loraRank == 8)
        #expect(entry.authors == ["a", "b"] && entry.tags == ["a", "b"])
        #expect(entry.weights == nil)
    }

    @Test func deepNestingIsRefused() {
        let yaml = "adapters: " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "\n"
        let text = message { _ = try Registry.parse(yaml) }
        #expect(text.contains("nested more than 64 levels deep"), "\(text)")
    }
}
