import Foundation
import Testing
@testable import LocoKit
import LocoTestSupport

/// A stage that needs `query` and adds its length: enough to exercise the contract.
struct LengthStage: Stage {
    let name = "test-stage"
    mutating func process(_ record: inout JSONObject, line: Int) throws {
        let query = try record.requireString("query")
        record["length"] = JSONValue(query.count)
    }
}

@Suite struct StageRunnerTests {
    @Test func goodRecordsKeepUnknownFieldsAndOrder() throws {
        var stage = LengthStage()
        let (lines, outcome) = try runStage(&stage, input: "{\"id\":1,\"query\":\"abc\",\"mine\":{\"x\":[1]}}\n{\"query\":\"hello\"}\n")
        #expect(lines == [#"{"id":1,"query":"abc","mine":{"x":[1]},"length":3}"#, #"{"query":"hello","length":5}"#])
        #expect(outcome.exitCode == 0)
    }

    @Test func badLinesBecomeErrorRecordsAndTheRunGoesOn() throws {
        var stage = LengthStage()
        let input = "not json\n{\"id\":7}\n\n[1]\n{\"query\":5}\n{\"query\":\"ok\"}"
        let (lines, outcome) = try runStage(&stage, input: input)
        #expect(lines.count == 6)
        let first = try object(lines[0])
        #expect(first["error"]?.objectValue?["line"] == 1)
        #expect(first["error"]?.objectValue?["stage"] == "test-stage")
        #expect(first["raw"] == "not json")
        let second = try object(lines[1])
        #expect(second["id"] == 7)
        #expect(second["error"]?.objectValue?["message"] == "missing field 'query'")
        #expect(second["error"]?.objectValue?["field"] == "query")
        #expect(second["error"]?.objectValue?["line"] == 2)
        #expect(try object(lines[2])["error"]?.objectValue?["message"] == "empty line")
        #expect(try object(lines[3])["error"]?.objectValue?["message"] == "expected a JSON object, got an array")
        #expect(try object(lines[4])["error"]?.objectValue?["message"] == "field 'query' must be a string, got a number")
        #expect(lines[5] == #"{"query":"ok","length":2}"#)
        #expect(outcome.errors == 5)
        #expect(outcome.exitCode == 1)
    }

    @Test func earlierErrorsPassThroughByteForByte() throws {
        var stage = LengthStage()
        let line = #"{"error": {"stage":"loco-gen","message":"x","line":3},  "query":"q"}"#
        let (lines, outcome) = try runStage(&stage, input: line + "\n")
        #expect(lines == [line])
        #expect(outcome.exitCode == 1)
    }

    @Test func crlfAndByteOrderMarkAreTolerated() throws {
        var stage = LengthStage()
        let (lines, _) = try runStage(&stage, input: "\u{FEFF}{\"query\":\"a\"}\r\n{\"query\":\"bb\"}\r\n")
        #expect(lines == [#"{"query":"a","length":1}"#, #"{"query":"bb","length":2}"#])
    }

    @Test func invalidUTF8LineIsAnErrorWithRawKept() throws {
        var stage = LengthStage()
        let bytes = Array("{\"query\":\"".utf8) + [0xFF, 0xFE] + Array("\"}\n{\"query\":\"x\"}\n".utf8)
        let (lines, outcome) = try runStage(&stage, bytes: bytes)
        #expect(lines.count == 2)
        let first = try object(lines[0])
        #expect(first["error"]?.objectValue?["message"] == "invalid JSON at column 11: string is not valid UTF-8")
        #expect(first["raw"] == "{\"query\":\"\u{FFFD}\u{FFFD}\"}")
        #expect(outcome.errors == 1)
    }

    @Test func aVeryLongLineIsOneRecord() throws {
        var stage = LengthStage()
        let long = String(repeating: "x", count: 3 << 20)
        let (lines, _) = try runStage(&stage, input: "{\"query\":\"\(long)\"}\n{\"query\":\"y\"}\n")
        #expect(lines.count == 2)
        #expect(try object(lines[0])["length"] == JSONValue(3 << 20))
    }
}

/// Sleeps a different time per record, so parallel workers finish out of order; each worker
/// counts its records in a shared tally.
struct SlowStage: Stage {
    final class Tally: @unchecked Sendable {
        let lock = NSLock()
        var workers = 0
        var inFlight = 0
        var maxInFlight = 0
    }
    let name = "slow"
    let tally: Tally
    func makeWorker() -> SlowStage {
        tally.lock.lock(); tally.workers += 1; tally.lock.unlock()
        return self
    }
    mutating func process(_ record: inout JSONObject, line: Int) throws {
        tally.lock.lock(); tally.inFlight += 1; tally.maxInFlight = max(tally.maxInFlight, tally.inFlight); tally.lock.unlock()
        defer { tally.lock.lock(); tally.inFlight -= 1; tally.lock.unlock() }
        let query = try record.requireString("query")
        usleep(UInt32((line * 7919) % 13) * 1_000)
        record["length"] = JSONValue(query.count)
    }
}

@Suite struct ParallelStageRunnerTests {
    @Test func parallelWorkersKeepTheContractAndTheOrder() throws {
        let tally = SlowStage.Tally()
        var stage = SlowStage(tally: tally)
        var input = ""
        for i in 1...120 {
            switch i % 10 {
            case 3: input += "not json\n"
            case 5: input += #"{"id":\#(i),"error":{"stage":"earlier","message":"m","line":1}}"# + "\n"
            case 7: input += #"{"id":\#(i)}"# + "\n"
            default: input += #"{"id":\#(i),"query":"\#(String(repeating: "x", count: i))"}"# + "\n"
            }
        }
        let (lines, outcome) = try runStage(&stage, bytes: Array(input.utf8), parallelism: 4)
        #expect(lines.count == 120)
        #expect(outcome.records == 120 && outcome.errors == 36 && outcome.exitCode == 1)
        for (index, line) in lines.enumerated() {
            let i = index + 1
            let record = try object(line)
            switch i % 10 {
            case 3: #expect(record["error"]?.objectValue?["line"] == JSONValue(i))
            case 5: #expect(line == #"{"id":\#(i),"error":{"stage":"earlier","message":"m","line":1}}"#, "passes through byte for byte")
            case 7: #expect(record["error"]?.objectValue?["field"] == "query" && record["id"] == JSONValue(i))
            default: #expect(record["id"] == JSONValue(i) && record["length"] == JSONValue(i))
            }
        }
        #expect(tally.workers == 4)
        #expect(tally.maxInFlight > 1 && tally.maxInFlight <= 4)
    }

    @Test func progressCountsOnlyFinishedRecords() throws {
        var stage = SlowStage(tally: SlowStage.Tally())
        let input = (1...40).map { #"{"id":\#($0),"query":"x"}"# }.joined(separator: "\n") + "\n"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inPath = dir.appendingPathComponent("in.jsonl").path
        try input.write(toFile: inPath, atomically: true, encoding: .utf8)
        let inFD = open(inPath, O_RDONLY), outFD = open(dir.appendingPathComponent("out.jsonl").path, O_WRONLY | O_CREAT, 0o644)
        defer { close(inFD); close(outFD) }
        var runner = StageRunner()
        runner.parallelism = 4
        var seen: [Int] = []
        _ = runner.run(&stage, reader: LineReader(fd: inFD), writer: OutputWriter(fd: outFD)) { _, outcome in seen.append(outcome.records) }
        // One call per finished record, counting 1, 2, 3…: never the records still in flight.
        #expect(seen == Array(1...40))
    }
}

/// Keys each record by its `adapter` and notes the order records started in.
struct GroupingStage: Stage {
    final class Started: @unchecked Sendable {
        let lock = NSLock()
        var adapters: [String] = []
    }
    let name = "grouping"
    let started: Started
    var groupsRecords: Bool { true }
    func groupKey(of record: JSONObject) -> String? { record["adapter"]?.stringValue }
    mutating func process(_ record: inout JSONObject, line: Int) throws {
        started.lock.lock(); started.adapters.append(record["adapter"]?.stringValue ?? "-"); started.lock.unlock()
        usleep(2_000)
        record["done"] = true
    }
}

@Suite struct GroupingTests {
    @Test func recordsForTheSameKeyRunBackToBackAndStillComeOutInOrder() throws {
        let started = GroupingStage.Started()
        var stage = GroupingStage(started: started)
        let input = (1...64).map { #"{"id":\#($0),"adapter":"\#($0 % 2 == 0 ? "a" : "b")"}"# }.joined(separator: "\n") + "\n"
        let (lines, outcome) = try runStage(&stage, bytes: Array(input.utf8), parallelism: 2)
        #expect(outcome.records == 64 && outcome.errors == 0)
        #expect(try lines.map { try object($0)["id"] } == (1...64).map { JSONValue($0) })
        let switches = zip(started.adapters, started.adapters.dropFirst()).filter { $0 != $1 }.count
        #expect(switches < 16, "alternating input, \(switches) switches in \(started.adapters.joined())")
    }
}

/// Names each record's adapter from its query's first word, in the order records reach it.
struct NamingStage: Stage {
    final class Seen: @unchecked Sendable { var ids: [Int] = [] }
    let name = "naming"
    let seen = Seen()
    mutating func process(_ record: inout JSONObject, line: Int) throws {
        let query = try record.requireString("query")
        seen.ids.append(record["id"]?.intValue ?? 0)
        record["adapter"] = .string(String(query.prefix { $0 != " " }))
    }
}

@Suite struct HeadStageTests {
    @Test func theReaderNamesEachRecordInInputOrderAndTheStageGroupsByWhatItNamed() throws {
        let started = GroupingStage.Started()
        var stage = GroupingStage(started: started)
        let naming = NamingStage()
        let input = (1...64).map { #"{"id":\#($0),"query":"\#($0 % 2 == 0 ? "a" : "b") question"}"# }.joined(separator: "\n") + "\n"
        let (lines, outcome) = try runStage(&stage, bytes: Array(input.utf8), parallelism: 2, head: HeadStage(naming))
        #expect(outcome.records == 64 && outcome.errors == 0)
        #expect(naming.seen.ids == Array(1...64), "the head runs once per line, in input order")
        #expect(try lines.map { try object($0)["id"] } == (1...64).map { JSONValue($0) })
        #expect(try lines.allSatisfy { try object($0)["done"] == true })
        let switches = zip(started.adapters, started.adapters.dropFirst()).filter { $0 != $1 }.count
        #expect(switches < 16, "grouped by the adapter the head named: \(switches) switches in \(started.adapters.joined())")
    }

    @Test(arguments: [1, 2])
    func aRecordTheHeadRefusesIsItsErrorRecordAndTheStagePassesItThrough(parallelism: Int) throws {
        var stage = LengthStage()
        let (lines, outcome) = try runStage(&stage, bytes: Array("{\"query\":\"hi there\"}\n{\"id\":2}\nnot json\n".utf8),
                                            parallelism: parallelism, head: HeadStage(NamingStage()))
        #expect(lines.count == 3 && outcome.records == 3 && outcome.errors == 2)
        #expect(try object(lines[0])["adapter"] == "hi" && object(lines[0])["length"] == 8)
        #expect(try object(lines[1])["error"]?.objectValue?["stage"] == "naming")
        #expect(try object(lines[1])["error"]?.objectValue?["field"] == "query")
        #expect(try object(lines[2])["error"]?.objectValue?["stage"] == "naming")
    }
}
