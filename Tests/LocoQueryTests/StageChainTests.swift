import Foundation
import Testing
@testable import LocoKit
@testable import LocoPrompt
@testable import LocoQuery
import LocoTestSupport

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
