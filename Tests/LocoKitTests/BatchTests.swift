import Foundation
import Testing
import LocoCLI
@testable import LocoKit
@testable import LocoPrompt
@testable import LocoQuery
@testable import LocoVote
import LocoRegistry

@Suite struct BatchRowTests {
    @Test func rowsSayIdAdapterAnswerAndVerdict() throws {
        #expect(BatchRow.line(try object(#"{"id":"q1","adapter":"arithmetic","answer":"84","expected":"84","score":{"metric":"numeric_match","value":1}}"#))
                == "q1\tarithmetic\t84\tok")
        #expect(BatchRow.line(try object(#"{"id":3,"adapter":null,"answer":null,"expected":4,"score":{"metric":"numeric_match","value":0}}"#))
                == "3\tbase\tnull\twrong (expected 4)")
        #expect(BatchRow.line(try object(#"{"answer":"\#(String(repeating: "x", count: 60))"}"#)) == "-\tbase\t\(String(repeating: "x", count: 39))…\tunscored")
        // Always one line: newlines shown as ⏎ (the whole text is in OUT).
        #expect(BatchRow.line(try object(#"{"id":"c","answer":"def f():\n    return 1","score":{"metric":"pass@1","value":0,"runs":["assertion failed:\nline two"]}}"#))
                == "c\tbase\tdef f():⏎    return 1\twrong (assertion failed:⏎line two)")
        #expect(BatchRow.line(try object(#"{"error":{"stage":"loco-gen","message":"down","line":7}}"#)) == "line 7\tERROR\tloco-gen: down")
        // A share is shown as one; failed code says how its run ended, not "expected null".
        #expect(BatchRow.line(try object(#"{"id":"t","answer":"A title","expected":"The title","score":{"metric":"rouge_l","value":0.5}}"#))
                == "t\tbase\tA title\tscore 0.5")
        #expect(BatchRow.line(try object(#"{"id":"c","answer":"def f(): pass","score":{"metric":"pass@1","value":0,"runs":["assertion failed: assert f() == 1"]}}"#))
                == "c\tbase\tdef f(): pass\twrong (assertion failed: assert f() == 1)")
    }

    @Test func theTallyCountsWrongAnswersAndErrorsForTheExitStatus() throws {
        var tally = BatchTally()
        tally.add(try object(#"{"score":{"metric":"exact_match","value":1}}"#))
        tally.add(try object(#"{"answer":"x"}"#))
        #expect(tally.exitCode == 0 && tally.accuracy == 1)
        tally.add(try object(#"{"score":{"metric":"rouge_l","value":0.5}}"#))
        #expect(tally.exitCode == 1 && tally.wrong == 1)
        #expect(tally.summary(output: "out.jsonl", seed: 7) == "accuracy 0.75 (1.5 of 2 scored, 3 records, 0 errors, seed 7) — records in out.jsonl")
        var failed = BatchTally()
        failed.add(try object(#"{"error":{"stage":"loco-route","message":"m","line":1}}"#))
        #expect(failed.exitCode == 1 && failed.summary(output: "o", seed: nil) == "accuracy n/a (0 of 0 scored, 1 records, 1 errors) — records in o")
    }
}

/// Turns every record into a failure: stands in for a stage that refuses one.
struct RefusingStage: Stage {
    var name = "loco-gen"
    mutating func process(_ record: inout JSONObject, line: Int) throws { throw RecordError("refused", field: "prompt") }
}

struct MarkingStage: Stage {
    var name = "loco-vote"
    mutating func process(_ record: inout JSONObject, line: Int) throws { record["marked"] = true }
}

@Suite struct StageChainTests {
    @Test func aRefusedRecordIsThatStagesErrorAndLaterStagesLetItThrough() throws {
        var chain = StageChain([PromptStage(registry: try testRegistry()), RefusingStage(), MarkingStage()])
        let (lines, outcome) = try runStage(&chain, input: #"{"id":"a","query":"2+3?"}"# + "\n" + "not json\n")
        #expect(outcome.errors == 2 && outcome.exitCode == 1)
        let refused = try object(lines[0])
        let error = try #require(refused["error"]?.objectValue)
        #expect(error["stage"] == "loco-gen" && error["field"] == "prompt" && error["line"] == 1)
        #expect(refused["messages"] != nil, "the earlier stage's fields are kept")
        #expect(refused["marked"] == nil, "a later stage does not touch an error record")
        #expect(try object(lines[1])["error"]?.objectValue?["stage"] == "loco-prompt", "a bad line is the first stage's error")
    }

    /// Refuses records whose id is "b", after adding a field: its error record keeps it.
    struct PickyStage: Stage {
        let name = "loco-gen"
        mutating func process(_ record: inout JSONObject, line: Int) throws {
            record["looked"] = 1.50
            if record["id"] == "b" { throw RecordError("not this one", field: "id") }
        }
    }

    @Test func theChainWritesByteForByteWhatThePipeOfItsStagesWrites() throws {
        let input = [#"{"id":"a","query":"2+3?","n":1.50e2,"s":"\u00e9\ud83d\ude00"}"#, #"{"id":"b","query":"no"}"#,
                     #"{"id":"c","query":"why?","choices":["x","y"]}"#, "[1]"].joined(separator: "\n") + "\n"
        var chain = StageChain([PromptStage(registry: try testRegistry()), PickyStage(), MarkingStage()])
        let (chained, _) = try runStage(&chain, input: input)
        var prompt = PromptStage(registry: try testRegistry()), picky = PickyStage(), marking = MarkingStage()
        let (first, _) = try runStage(&prompt, input: input)
        let (second, _) = try runStage(&picky, input: first.joined(separator: "\n") + "\n")
        let (piped, _) = try runStage(&marking, input: second.joined(separator: "\n") + "\n")
        #expect(chained == piped)
        #expect(try object(chained[1])["error"]?.objectValue?["stage"] == "loco-gen")
    }

    @Test func goodRecordsGoThroughEveryStage() throws {
        var chain = StageChain([PromptStage(registry: try testRegistry()), MarkingStage()])
        let (lines, outcome) = try runStage(&chain, input: #"{"query":"hi","mine":1}"# + "\n")
        #expect(outcome.exitCode == 0)
        let record = try object(lines[0])
        #expect(record["marked"] == true && record["mine"] == 1 && record["strategy"] == ["re2"])
    }
}

@Suite struct ResumeFileTests {
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID()).jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func repeatedIdsAreMatchedInTurnAndRecordsWithoutIdsByPosition() throws {
        let path = try file(#"{"id":"a","n":1}"# + "\n" + #"{"id":"a","n":2}"# + "\n" + #"{"n":3}"# + "\n")
        defer { unlink(path) }
        let resume = try ResumeFile.prepare(path)
        #expect(resume.count == 3 && resume.dropped == 0)
        let first = resume.earlier(line: 1, record: try object(#"{"id":"a"}"#)).map { String(decoding: $0, as: UTF8.self) }
        let second = resume.earlier(line: 2, record: try object(#"{"id":"a"}"#)).map { String(decoding: $0, as: UTF8.self) }
        let third = resume.earlier(line: 3, record: try object(#"{"id":"a"}"#))
        #expect(first == #"{"id":"a","n":1}"# && second == #"{"id":"a","n":2}"# && third == nil, "a third 'a' was never done")
        #expect(resume.earlier(line: 3, record: try object(#"{"q":1}"#)) != nil, "no id: the third line")
        #expect(resume.earlier(line: 4, record: try object(#"{"q":1}"#)) == nil)
    }

    @Test func theResumedFileIsInInputOrderAndKeepsWhatNoLineClaimed() throws {
        let path = try file(#"{"id":1}"# + "\n" + #"{"id":2,"error":{"stage":"loco-gen","message":"x","line":2}}"# + "\n" + #"{"id":3}"# + "\n" + #"{"id":9}"# + "\n" + #"{"id":4,"#)
        defer { unlink(path) }
        let resume = try ResumeFile.prepare(path)
        #expect(resume.count == 3 && resume.dropped == 2)
        let writer = try resume.writer()
        for id in 1...4 {
            writer.writeLine(resume.earlier(line: id, record: ["id": JSONValue(id)]) ?? Array(#"{"id":\#(id),"new":true}"#.utf8))
        }
        try resume.finish(writer)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines == [#"{"id":1}"#, #"{"id":2,"new":true}"#, #"{"id":3}"#, #"{"id":4,"new":true}"#, #"{"id":9}"#])
        #expect(!FileManager.default.fileExists(atPath: path + ".resume-tmp"))
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

@Suite struct RecordFieldTests {
    /// The names in code and the schema users read are the same list, in the same order.
    @Test func everyFieldIsInTheSchemaAndEverySchemaFieldIsInCode() throws {
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/record.schema.json")
        let data = try #require(FileManager.default.contents(atPath: schema.path))
        let parsed = try JSONParser.parse([UInt8](data))
        let properties = try #require(parsed.objectValue?["properties"]?.objectValue)
        #expect(properties.map(\.key) == RecordField.allCases.map(\.rawValue))
    }
}

@Suite struct ResumeHintTests {
    @Test func theHintRepeatsTheRunsOwnFlagsWithItsOutAndSeed() {
        let hint = ResumeHint.command("loco run", arguments: ["my set.csv", "--adapter", "arithmetic", "-o", "out.jsonl", "--no-re2", "--votes", "3", "--seed=9"],
                                      out: "out.jsonl", seed: 9)
        #expect(hint == "loco run 'my set.csv' --adapter arithmetic --no-re2 --votes 3 --resume out.jsonl --seed 9")
        // A drawn seed is pinned; an earlier --resume and -oFILE are replaced.
        #expect(ResumeHint.command("loco run", arguments: ["p.jsonl", "--resume", "r.jsonl", "-or.jsonl"], out: "r.jsonl", seed: 4)
                == "loco run p.jsonl --resume r.jsonl --seed 4")
        #expect(ResumeHint.shellQuoted("it's") == #"'it'\''s'"#)
    }
}
