import Foundation
import Testing

/// llama-servers of the test's own on loopback ports: two engines for a pool, driven through
/// their OpenAI-compatible endpoints.
final class ExtraEngines: @unchecked Sendable {
    static let server = E2E.env["LOCO_TEST_LLAMA_SERVER"]
    static let gguf = E2E.env["LOCO_TEST_GGUF"]
    static var available: Bool { E2E.hasEngine && server != nil && gguf != nil }
    /// Every trained adapter the project ships, loaded as `loco engine start` loads installed ones.
    static let shippedLoRAs = shipped.flatMap { ["--lora", E2E.root.appendingPathComponent("adapters/\($0)/adapter.gguf").path] }
        + ["--lora-init-without-apply"]
    /// The adapters whose registry entry names weights (those that passed their gate).
    static var shipped: [String] {
        let registry = (try? String(contentsOf: E2E.root.appendingPathComponent("adapters/registry.yaml"), encoding: .utf8)) ?? ""
        var current = "", names: [String] = []
        for line in registry.split(separator: "\n") {
            if line.hasPrefix("  ") && !line.hasPrefix("   ") && line.hasSuffix(":") { current = String(line.dropFirst(2).dropLast()) }
            if line == "    weights: adapter.gguf" { names.append(current) }
        }
        return names
    }

    let ports: [Int]
    private(set) var processes: [Process] = []
    var urls: [String] { ports.map { "http://127.0.0.1:\($0)" } }

    init(ports: [Int], arguments extra: [String] = []) throws {
        self.ports = ports
        for port in ports {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ExtraEngines.server!)
            process.arguments = ["--model", ExtraEngines.gguf!, "--host", "127.0.0.1", "--port", String(port),
                                 "--parallel", "2", "--threads", "1", "--ctx-size", "4096"] + extra
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            processes.append(process)
        }
        for url in urls {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, (try? shell("curl -sf \(url)/health", timeout: 5))?.status != 0 { usleep(200_000) }
        }
    }

    func kill(_ index: Int) {
        Foundation.kill(processes[index].processIdentifier, SIGKILL)
        processes[index].waitUntilExit()
    }

    deinit {
        for process in processes where process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

extension RealEngine {
    @Suite(.enabled(if: ExtraEngines.available, "needs LOCO_TEST_LLAMA_SERVER and LOCO_TEST_GGUF: run scripts/test.sh"))
    struct PoolTests {
        @Test func theOpenAIBackendGivesTheServersOwnAnswerStreamedOrNot() throws {
            let engines = try ExtraEngines(ports: [8183])
            let input = #"{"messages":[{"role":"user","content":"Name a colour."}]}"#
            for stream in ["", " --stream"] {
                let proxy = try RecordingProxy(to: engines.urls[0])
                let ours = try shell("echo \(quoted(input)) | loco-gen --backend openai --url \(proxy.url) --model m --seed 1 --max-tokens 16\(stream) | jq -r '.samples[0].text'")
                #expect(ours.status == 0, "\(ours.stderr)")
                let sent = try #require(try proxy.generationRequests().first)
                #expect(sent["model"] as? String == "m" && sent["seed"] as? Int == 1 && sent["max_tokens"] as? Int == 16)
                #expect((sent["messages"] as? [[String: String]]) == [["role": "user", "content": "Name a colour."]])
                #expect((sent["stream"] as? Bool ?? false) == !stream.isEmpty)
                let answer = try #require(try proxy.answers().first)
                #expect(!answer.isEmpty)
                #expect(ours.stdout == answer + "\n", "loco-gen\(stream) against the server's answer to its request")
            }
        }

        @Test func aPoolKeepsEveryRecordWhenAnEngineDiesMidBatch() throws {
            let engines = try ExtraEngines(ports: [8184, 8185])
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pool-\(UUID())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let input = dir.appendingPathComponent("in.jsonl").path, output = dir.appendingPathComponent("out.jsonl").path
            let records = (1...16).map { #"{"id":\#($0),"prompt":"Q: What is \#($0) + \#($0)?\nA:"}"# }.joined(separator: "\n") + "\n"
            try records.write(toFile: input, atomically: true, encoding: .utf8)

            let gen = Process()
            gen.executableURL = URL(fileURLWithPath: "/bin/bash")
            gen.arguments = ["-c", "loco-gen --backend openai --url \(engines.urls[0]) --url \(engines.urls[1]) --model m --max-tokens 48 --seed 1 --parallel 4 < \(quoted(input)) > \(quoted(output))"]
            gen.environment = E2E.env.merging(["PATH": "\(E2E.bin):" + (E2E.env["PATH"] ?? "/usr/bin:/bin")]) { $1 }
            gen.standardError = FileHandle.nullDevice
            try gen.run()
            // Kill the second engine once the batch is under way.
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline, ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n").count < 2 { usleep(100_000) }
            engines.kill(1)
            gen.waitUntilExit()

            #expect(gen.terminationStatus == 0)
            let out = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map { try jsonObject(String($0)) }
            #expect(out.compactMap { $0["id"] as? Int } == Array(1...16), "each record once, in input order")
            #expect(out.allSatisfy { $0["error"] == nil && ($0["samples"] as? [Any])?.count == 1 })
            let used = Set(out.compactMap { $0["engine"] as? String })
            #expect(used.contains(engines.urls[0]))
            #expect(out.suffix(4).allSatisfy { $0["engine"] as? String == engines.urls[0] }, "after the kill only the live engine answers")
        }
    }
}
