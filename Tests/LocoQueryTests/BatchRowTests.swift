import Foundation
import Testing
@testable import LocoQuery
import LocoTestSupport

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
