import Foundation
import LocoKit

// Test helpers shared by the libraries' test targets; no test framework here, so each target
// asserts with its own.

/// Runs a stage over `input` through real file descriptors, as a process would, and returns the
/// output lines and the outcome.
public func runStage<S: Stage>(_ stage: inout S, input: String) throws -> (lines: [String], outcome: StageRunner.Outcome) {
    try runStage(&stage, bytes: Array(input.utf8))
}

public func runStage<S: Stage>(_ stage: inout S, bytes input: [UInt8], parallelism: Int = 1, head: HeadStage? = nil) throws -> (lines: [String], outcome: StageRunner.Outcome) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let inURL = dir.appendingPathComponent("in.jsonl")
    let outURL = dir.appendingPathComponent("out.jsonl")
    try Data(input).write(to: inURL)
    try Data().write(to: outURL)
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

/// A line of JSON Lines as the object it must be.
public func object(_ line: String) throws -> JSONObject {
    guard case .object(let o) = try JSONParser.parse(line) else { throw RecordError("not an object") }
    return o
}
