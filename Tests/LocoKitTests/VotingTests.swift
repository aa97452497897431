import Testing
import LocoAnswers
import LocoEngines
@testable import LocoKit
@testable import LocoVote

@Suite struct ExtractionTests {
    @Test(arguments: [
        ("3/4", "0.75"), ("0.75", "0.75"), ("-1/2", "-0.5"), ("12%", "12"), ("$1,234.50", "1234.5"),
        ("18 eggs", "18"), ("-3.50", "-3.5"), ("1/3", "0.333333333333"),
    ])
    func numbersNormalise(raw: String, normal: String) {
        #expect(AnswerExtractor.normalizedNumber(raw) == normal)
    }

    @Test func mathTakesStatedAnswersInOrderOfStrength() {
        #expect(AnswerExtractor.extract("so \\boxed{3/4} is it", format: .number) == "0.75")
        #expect(AnswerExtractor.extract("9 * 2 = 18\n#### 18", format: .number) == "18")
        #expect(AnswerExtractor.extract("Answer: -7 degrees", format: .number) == "-7")
        #expect(AnswerExtractor.extract("No idea.", format: .number) == nil)
    }

    @Test func multipleChoiceTakesTheLetterOrTheOptionText() {
        let context = AnswerExtractor.Context(choices: ["Paris", "London", "Rome", "Berlin"])
        #expect(AnswerExtractor.extract("The answer is (C).", format: .choice, context: context) == "C")
        #expect(AnswerExtractor.extract("B) London", format: .choice, context: context) == "B")
        #expect(AnswerExtractor.extract("I think it is paris, clearly.", format: .choice, context: context) == "A")
        #expect(AnswerExtractor.extract("Answer: D", format: .choice, context: context) == "D")
        #expect(AnswerExtractor.extract("Answer: F", format: .choice, context: context) == nil)
        #expect(AnswerExtractor.extract("no clue", format: .choice, context: context) == nil)
    }

    @Test func classificationTakesTheFirstLabelNamed() {
        let context = AnswerExtractor.Context(labels: ["positive", "negative"])
        #expect(AnswerExtractor.extract("Negative. Not positive at all.", format: .label, context: context) == "negative")
        #expect(AnswerExtractor.extract("The sentiment is POSITIVE", format: .label, context: context) == "positive")
        #expect(AnswerExtractor.extract("positively meh", format: .label, context: context) == nil)
    }

    @Test func codeTakesTheFencedBlock() {
        let text = "Here you go:\n```python\ndef f(x):   \n    return x + 1\n```\nDone."
        #expect(AnswerExtractor.extract(text, format: .code) == "def f(x):\n    return x + 1")
        #expect(AnswerExtractor.extract("def g(): pass", format: .code) == "def g(): pass")
        #expect(AnswerExtractor.extract("  \n ", format: .code) == nil)
    }

    @Test func rougeLMatchesHandComputedValues() {
        // LCS of "the cat sat" and "the cat on the mat" is "the cat": P = 2/5, R = 2/3.
        #expect(abs(RougeL.f1("the cat sat", "the cat on the mat") - (2 * 0.4 * (2.0 / 3)) / (0.4 + 2.0 / 3)) < 1e-12)
        #expect(RougeL.f1("a b", "a b") == 1)
        #expect(RougeL.f1("", "a") == 0)
        #expect(RougeL.medoid(["the cat sat", "the cat sat down", "dogs bark loudly"])?.index == 0)
    }
}

@Suite struct VotingRuleTests {
    @Test func samplesWithoutAnAnswerDoNotVote() {
        let v = MajorityVote([nil, "7", nil, "7", "8"])!
        #expect(v.answer == "7")
        #expect(v.agreement == 0.4)
        #expect(MajorityVote([nil, nil]) == nil)
    }

    @Test func allDifferentGoesToTheFirstSeen() {
        let v = MajorityVote(["3", "1", "2"])!
        #expect(v.answer == "3")
        #expect(v.votes.map(\.count) == [1, 1, 1])
    }

    @Test func settledWhenTheLeaderCannotBeCaught() {
        #expect(MajorityVote.isSettled(["4", "4", "4"], remaining: 2))
        #expect(!MajorityVote.isSettled(["4", "4", "5"], remaining: 2))
        #expect(MajorityVote.isSettled(["4", "4", "5", "4"], remaining: 1))
        #expect(!MajorityVote.isSettled(["4", "5", "4", "5"], remaining: 1))
        #expect(!MajorityVote.isSettled([nil, nil, nil], remaining: 2))
        #expect(MajorityVote.isSettled(["1"], remaining: 0))
    }

    @Test func theBetaRuleIsAdaptiveConsistencysAndStopsOnlyWhereItIsThatSure() {
        // P(Beta(v1 + 1, v2 + 1) > 1/2), worked by hand: 2:0 7/8, 3:0 15/16, 3:1 26/32, 1:1 1/2.
        #expect(MajorityVote.leaderConfidence(leader: 2, runnerUp: 0) == 0.875)
        #expect(MajorityVote.leaderConfidence(leader: 3, runnerUp: 0) == 0.9375)
        #expect(MajorityVote.leaderConfidence(leader: 3, runnerUp: 1) == 0.8125)
        #expect(MajorityVote.leaderConfidence(leader: 1, runnerUp: 1) == 0.5)
        #expect(abs(MajorityVote.leaderConfidence(leader: 4, runnerUp: 0) - 31.0 / 32) < 1e-12)

        #expect(MajorityVote.isSettled(["4", "4"], remaining: 3, confidence: 0.85), "two agreeing: 0.875")
        #expect(!MajorityVote.isSettled(["4", "4"], remaining: 3, confidence: 0.9))
        #expect(!MajorityVote.isSettled(["4", "4"], remaining: 3), "without a confidence, 3 more could overturn 2")
        #expect(!MajorityVote.isSettled(["4", "5", "4"], remaining: 2, confidence: 0.85), "2:1 is only 0.6875")
        #expect(MajorityVote.isSettled(["4", nil, "4"], remaining: 2, confidence: 0.85), "a sample with no answer does not count against")
        #expect(MajorityVote.isSettled(["4", "4", "4"], remaining: 2, confidence: 0.99), "the certain rule still applies")

        // The first batch is the fewest samples that could settle the vote.
        #expect(MajorityVote.firstBatch(samples: 5, confidence: nil) == 3)
        #expect(MajorityVote.firstBatch(samples: 5, confidence: 0.85) == 2)
        #expect(MajorityVote.firstBatch(samples: 5, confidence: 0.95) == 3, "4 agreeing would be needed; a majority comes first")
        #expect(MajorityVote.firstBatch(samples: 9, confidence: 0.95) == 4)
    }

    @Test func voteStageRecordsEachExtractionAndTheMethod() throws {
        var stage = VoteStage(registry: nil)
        let input = """
            {"choices":["Paris","London"],"samples":[{"text":"(B)"},{"text":"Paris!"},{"text":"B"}]}
            {"samples":[{"text":"The capital of France is Paris."},{"text":"Paris is the capital of France."},{"text":"Rome."}]}
            {"samples":[{"text":"nothing here"},{"text":"still nothing"}]}
            {"tests":["assert f(1) == 2"],"samples":[{"text":"```\\ndef f(x): return x+1\\n```"},{"text":"```\\ndef f(x): return x+1\\n```"}]}

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

@Suite struct CodeVotingTests {
    @Test func theSampleThatPassesMostTestsWinsEvenInTheMinority() throws {
        let wrong = #"```python\ndef double(x):\n    return x + 2\n```"#
        let right = #"```python\ndef double(x):\n    return x * 2\n```"#
        let input = #"{"tests":["assert double(2) == 4","assert double(3) == 6","assert double(0) == 0"],"samples":[{"text":"\#(wrong)"},{"text":"\#(wrong)"},{"text":"\#(right)"},{"text":"no code here"}]}"# + "\n"
        var stage = VoteStage(registry: nil, format: .code)
        let (lines, outcome) = try runStage(&stage, input: input)
        #expect(outcome.errors == 0)
        let record = try object(lines[0])
        #expect(record["answer"] == "def double(x):\n    return x * 2")
        #expect(record["tests_passed"] == [1, 1, 3, 0], "x + 2 passes only double(2) == 4; text without a code block is run as it is and passes none")
        #expect(record["voting"]?.objectValue?["method"] == "tests-passed")
        #expect(record["agreement"] == 0.25)
    }

    @Test func whenNoSamplePassesTheVoteStands() throws {
        let input = #"{"tests":["assert f() == 1"],"samples":[{"text":"```\ndef f(): return 2\n```"},{"text":"```\ndef f(): return 2\n```"},{"text":"```\ndef f(): return 3\n```"}]}"# + "\n"
        var stage = VoteStage(registry: nil, format: .code)
        let record = try object(runStage(&stage, input: input).lines[0])
        #expect(record["answer"] == "def f(): return 2")
        #expect(record["voting"]?.objectValue?["method"] == "tests-passed (none passed: majority kept)")
    }

    @Test func withoutASandboxItVotesOnTheCodeAndSaysWhy() throws {
        var stage = VoteStage(registry: nil, format: .code)
        stage.execution = CodeExecution(sandbox: .failure(SandboxUnavailable("needs sandbox: no unshare")))
        let input = #"{"tests":["assert f() == 1"],"samples":[{"text":"```\ndef f(): return 1\n```"}]}"# + "\n"
        let record = try object(runStage(&stage, input: input).lines[0])
        #expect(record["voting"]?.objectValue?["note"] == "tests not run (needs sandbox: no unshare); voted on the code itself")
        #expect(record["answer"] == "def f(): return 1")
    }
}
