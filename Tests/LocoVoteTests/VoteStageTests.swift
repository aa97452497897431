import Testing
import LocoAnswers
import LocoTestSupport
@testable import LocoVote

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

    @Test func voteStageRecordsEachExtractionAndTheMethod() throws {
        var stage = VoteStage(registry: nil)
        let input = """
            {"choices":["Paris","London"],"samples":[{"text":"(B)"},{"text":"Paris!"},{"text":"B"}]}
            {"samples":[{"text":"The capital of France is Paris."},{"text":"Paris is the capital of France."},{"text":"Rome."}]}
            {"samples":[{"text":"nothing here"},{"text":"still nothing"}]}
            {"query":"Write f.\\nassert f(1) == 2","samples":[{"text":"```\\ndef f(x): return x+1\\n```"},{"text":"```\\ndef f(x): return x+1\\n```"}]}

            """
        let (lines, outcome) = try runStage(&stage, input: input)
        #expect(outcome.errors == 0)
        let mc = try object(lines[0])
        #expect(mc["answers"] == ["B", "A", "B"])
        #expect(mc["answer"] == "B")
        #expect(mc["voting"] == ["format": "choice", "method": "majority"])
        var free = VoteStage(registry: nil, format: .text)
        let (textLines, _) = try runStage(&free, input: lines[1] + "\n")
        let text = try object(textLines[0])
        #expect(text["answer"] == "The capital of France is Paris.")
        #expect(text["voting"]?.objectValue?["method"] == "medoid-rouge-l")
        var math = VoteStage(registry: nil, format: .number)
        let (noneLines, noneOutcome) = try runStage(&math, input: lines[2] + "\n")
        let none = try object(noneLines[0])
        #expect(noneOutcome.errors == 0)
        #expect(none["answer"] == .null)
        #expect(none["answers"] == [nil, nil])
        #expect(none["agreement"] == 0)
        var code = VoteStage(registry: nil, format: .code)
        let (codeLines, _) = try runStage(&code, input: lines[3] + "\n")
        let c = try object(codeLines[0])
        #expect(c["answer"] == "def f(x): return x+1")
        #expect(c["voting"]?.objectValue?["method"] == "tests-passed")
        #expect(c["tests_passed"] == [1, 1])
    }
}
