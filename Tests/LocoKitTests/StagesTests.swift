import Testing
import LocoAnswers
import LocoEngines
@testable import LocoKit
@testable import LocoPrompt
@testable import LocoRoute
@testable import LocoScore
@testable import LocoVote

@Suite struct PromptTests {
    @Test func re2UsesThePapersWording() {
        #expect(RE2Prompt.userText("What is 2+3?", reRead: true) == "What is 2+3?\nRead the question again: What is 2+3?")
        #expect(RE2Prompt.userText("What is 2+3?", reRead: false) == "What is 2+3?")
        #expect(RE2Prompt.rawPrompt("Q1", system: "S", reRead: true) == "S\n\nQ: Q1\nRead the question again: Q1\nA:")
    }

    @Test func promptStageAddsMessagesPromptAndStrategy() throws {
        var stage = PromptStage(registry: try testRegistry())
        let (lines, outcome) = try runStage(&stage, input: #"{"query":"2+3?","adapter":"math-reasoning"}"# + "\n")
        #expect(outcome.exitCode == 0)
        let r = try object(lines[0])
        let messages = r["messages"]?.arrayValue ?? []
        #expect(messages.count == 2)
        #expect(messages[0].objectValue?["content"] == "Solve it.")
        #expect(messages[1].objectValue?["content"] == "2+3?\nRead the question again: 2+3?")
        #expect(r["prompt"] == "Solve it.\n\nQ: 2+3?\nRead the question again: 2+3?\nA:")
        #expect(r["strategy"] == ["re2"])
    }

    @Test func aMultipleChoiceIsAskedWithItsOptions() throws {
        var stage = PromptStage(registry: try testRegistry(), reRead: false)
        let (lines, _) = try runStage(&stage, input: #"{"query":"Which colour do you get by mixing blue and yellow?","choices":["red","green","purple"],"adapter":null}"# + "\n"
                                      + #"{"query":"Red, green or purple?","choices":["red","green","purple"],"adapter":null}"# + "\n")
        #expect(try object(lines[0])["messages"]?.arrayValue?[1].objectValue?["content"] == "Which colour do you get by mixing blue and yellow?\nA) red\nB) green\nC) purple")
        // Options the question already lists are not listed twice.
        #expect(try object(lines[1])["messages"]?.arrayValue?[1].objectValue?["content"] == "Red, green or purple?")
    }

    @Test func noRE2AndBaseModelSystemPrompt() throws {
        var stage = PromptStage(registry: try testRegistry(), reRead: false)
        let (lines, _) = try runStage(&stage, input: #"{"query":"hi","adapter":null}"# + "\n")
        let r = try object(lines[0])
        #expect(r["strategy"] == [])
        #expect(r["messages"]?.arrayValue?[0].objectValue?["content"] == .string(PromptStage.defaultBaseSystemPrompt))
    }

    @Test func anAdapterNamedNoneIsAnErrorThatSaysNullIsTheBaseModel() throws {
        var stage = PromptStage(registry: try testRegistry())
        let (lines, outcome) = try runStage(&stage, input: #"{"query":"hi","adapter":"none"}"# + "\n")
        #expect(outcome.exitCode == 1)
        let message = try object(lines[0])["error"]?.objectValue?["message"]?.stringValue ?? ""
        #expect(message.hasPrefix("unknown adapter 'none' (known: ") && message.hasSuffix(", or null for the base model)"), "\(message)")
    }
}

@Suite struct VoteTests {
    @Test(arguments: ["1,000", "$1000.00", "1000", "The answer is 1000.", "#### 1,000", "\\boxed{1000}", "so she pays $1,000"])
    func equalNumbersNormaliseAlike(text: String) {
        #expect(AnswerExtractor.extract(text, format: .number) == "1000")
    }

    @Test func numberFormatTakesTheStatedAnswerOverTheLastNumber() {
        #expect(AnswerExtractor.extract("The answer is 18. Check: 9 * 2 = 18, 20 eggs", format: .number) == "18")
        #expect(AnswerExtractor.extract("16 - 3 - 4 = 9 eggs, 9 * 2 = 18", format: .number) == "18")
        #expect(AnswerExtractor.extract("-3.50 degrees", format: .number) == "-3.5")
    }

    @Test func textAndAutoFormats() {
        #expect(AnswerExtractor.extract("  Paris \n", format: .text) == "Paris")
        #expect(AnswerExtractor.extract(" 1,000 ", format: .auto) == "1000")
        #expect(AnswerExtractor.extract("It has 4 legs", format: .auto) == "It has 4 legs")
    }

    @Test func majorityWinsAndTiesGoToTheFirstSeen() {
        let v = MajorityVote(["7", "8", "8", "7", "9", "8"])!
        #expect(v.answer == "8")
        #expect(v.agreement == 0.5)
        #expect(MajorityVote(["a", "b"])!.answer == "a")
        #expect(MajorityVote([]) == nil)
    }

    @Test func voteStageUsesTheAdaptersFormat() throws {
        var stage = VoteStage(registry: try testRegistry())
        let input = #"{"adapter":"math-reasoning","samples":[{"text":"$1,000"},{"text":"1000"},{"text":"900"}]}"# + "\n"
        let (lines, _) = try runStage(&stage, input: input)
        let r = try object(lines[0])
        #expect(r["answer"] == "1000")
        #expect(r["votes"] == ["1000": 2, "900": 1])
        #expect(r["answers"] == ["1000", "1000", "900"])
    }

    @Test func voteStageRejectsMissingSamples() throws {
        var stage = VoteStage(registry: nil)
        let (lines, outcome) = try runStage(&stage, input: #"{"samples":[{"txt":"x"}]}"# + "\n" + #"{"id":1}"# + "\n")
        #expect(try object(lines[0])["error"]?.objectValue?["field"] == "samples")
        #expect(try object(lines[1])["error"]?.objectValue?["message"] == "missing field 'samples' (run loco-gen first)")
        #expect(outcome.errors == 2)
    }
}

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
