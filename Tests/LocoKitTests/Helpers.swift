import Foundation
import LocoKit
import LocoRegistry

/// Runs a stage over `input` through real file descriptors, as a process would, and returns the
/// output lines and the outcome.
func runStage<S: Stage>(_ stage: inout S, input: String) throws -> (lines: [String], outcome: StageRunner.Outcome) {
    try runStage(&stage, bytes: Array(input.utf8))
}

func runStage<S: Stage>(_ stage: inout S, bytes input: [UInt8], parallelism: Int = 1, head: HeadStage? = nil) throws -> (lines: [String], outcome: StageRunner.Outcome) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let inURL = dir.appendingPathComponent("in.jsonl")
    let outURL = dir.appendingPathComponent("out.jsonl")
    try Data(input).write(to: inURL)
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    let inFD = open(inURL.path, O_RDONLY)
    let outFD = open(outURL.path, O_WRONLY)
    defer { close(inFD) }
    let writer = OutputWriter(fd: outFD)
    var runner = StageRunner()
    runner.parallelism = parallelism
    runner.head = head
    let outcome = runner.run(&stage, reader: LineReader(fd: inFD, chunkSize: 7), writer: writer)
    close(outFD)
    let text = try String(contentsOf: outURL, encoding: .utf8)
    var lines = text.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    return (lines, outcome)
}

func object(_ line: String) throws -> JSONObject {
    guard case .object(let o) = try JSONParser.parse(line) else { throw RecordError("not an object") }
    return o
}

let testRegistryYAML = """
adapters:
  math-reasoning:
    version: "0.1.0"
    base_model: "google/gemma-3-270m"
    quantization: "Q4_K_M"
    lora_rank: 8
    created: "2026-S2"
    authors: ["test"]
    description: "math"
    tags: ["math"]
    answer_format: number
    system_prompt: "Solve it."
    router_keywords:
      sum: 1
      how many: 1
      calculate: 2
  writing-academic:
    version: "0.1.0"
    base_model: "google/gemma-3-270m"
    quantization: "Q4_K_M"
    lora_rank: 8
    created: "2026-S2"
    authors: ["test"]
    description: "writing"
    tags: ["writing"]
    system_prompt: "Write well."
    router_keywords: [summarize, essay]
"""

func testRegistry() throws -> Registry { try Registry.parse(testRegistryYAML) }
