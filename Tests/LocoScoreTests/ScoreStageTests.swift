import Foundation
import Testing
import LocoKit
@testable import LocoScore
import LocoTestSupport

@Suite struct ScoreTests {
    @Test func numericAndExactMatch() {
        #expect(Metric.auto.score(answer: "1000", expected: "$1,000.00").value == 1)
        #expect(Metric.auto.score(answer: "999", expected: "1000").value == 0)
        #expect(Metric.auto.score(answer: "  Four.", expected: "four").value == 1)
        #expect(Metric.exactMatch.score(answer: "1000", expected: "1,000").value == 0)
        #expect(Metric.numericMatch.score(answer: "abc", expected: "1").value == 0)
    }

    @Test func scoreStageCountsAndSkipsUnscoredRecords() throws {
        var stage = ScoreStage()
        let input = """
            {"answer":"18","expected":"18"}
            {"answer":"3","expected":4}
            {"answer":"x"}
            {"expected":"1"}
            {"error":{"stage":"loco-gen","message":"down","line":5}}

            """
        let (lines, outcome) = try runStage(&stage, input: input)
        #expect(try object(lines[0])["score"] == ["metric": "numeric_match", "value": 1, "read": "18", "why": "the number 18"])
        #expect(try object(lines[1])["score"]?.objectValue?["value"] == 0)
        #expect(try object(lines[2])["score"] == nil)
        let summary = stage.summary(outcome)
        #expect(summary == ScoreStage.Summary(n: 5, scored: 2, correct: 1, errors: 2, values: [1, 0]))
        #expect(summary.accuracy == 0.5)
    }
}

@Suite struct MetricAnswerFormatTests {
    @Test func aBenchmarksMetricSaysHowTheVoteReadsAnswersAndAutoLeavesItToEachRecord() {
        #expect(Metric.auto.answerFormat == nil, "each record read as its adapter and fields say, as in loco run")
        #expect(Metric.numericMatch.answerFormat == .number && Metric.passAt1.answerFormat == .code)
        #expect(Metric.choice.answerFormat == .choice && Metric.classification.answerFormat == .label)
        #expect(Metric.rougeL.answerFormat == .text && Metric.gleu.answerFormat == .text)
    }
}

@Suite struct GleuMetricTests {
    @Test func theMetricReadsTheOriginalFromTheRecordAndSaysWhatItScored() {
        let record: JSONObject = ["original": "Their are many reason to go ."]
        let copied = Metric.gleu.mark(answer: "Their are many reason to go.", expected: ["There are many reasons to go ."], record: record)
        #expect(copied.metric == .gleu && abs(copied.value - 0.244462) < 5e-7)
        #expect(copied.why == "GLEU 0.24 against 1 correction, the original unchanged")
        let missing = Metric.gleu.mark(answer: "There are many reasons to go.", expected: ["There are many reasons to go ."], record: [:])
        #expect(missing.value == 0 && missing.why.hasPrefix("no `original`"))
    }
}
