import Testing
@testable import LocoAnswers
import LocoEngines
@testable import LocoKit
@testable import LocoVote
import LocoSandbox
import LocoRegistry

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

@Suite struct CodeVotingTests {
    @Test func theSampleThatPassesMostTestsWinsEvenInTheMinority() throws {
        let wrong = #"```python\ndef double(x):\n    return x + 2\n```"#
        let right = #"```python\ndef double(x):\n    return x * 2\n```"#
        let input = #"{"query":"Write double(x).\nassert double(2) == 4\nassert double(3) == 6\nassert double(0) == 0","samples":[{"text":"\#(wrong)"},{"text":"\#(wrong)"},{"text":"\#(right)"},{"text":"no code here"}]}"# + "\n"
        var stage = VoteStage(registry: nil, format: .code)
        let (lines, outcome) = try runStage(&stage, input: input)
        #expect(outcome.errors == 0)
        let record = try object(lines[0])
        #expect(record["answer"] == "def double(x):\n    return x * 2")
        #expect(record["tests_passed"] == [1, 1, 3, 0], "x + 2 passes only double(2) == 4; text without a code block is run as it is and passes none")
        #expect(record["voting"]?.objectValue?["method"] == "tests-passed")
        #expect(record["agreement"] == 0.25)
    }

    @Test func theScorersHiddenTestsNeverSteerTheVote() throws {
        // Three alike and wrong, two right only by a test the question does not show.
        let wrong = #"```python\ndef half(x):\n    return x // 2\n```"#
        let right = #"```python\ndef half(x):\n    return x / 2\n```"#
        let hidden = #"{"query":"Write half(x).","tests":["assert half(3) == 1.5"],"samples":[{"text":"\#(wrong)"},{"text":"\#(wrong)"},{"text":"\#(wrong)"},{"text":"\#(right)"},{"text":"\#(right)"}]}"# + "\n"
        var stage = VoteStage(registry: nil, format: .code)
        let record = try object(runStage(&stage, input: hidden).lines[0])
        #expect(record["answer"] == "def half(x):\n    return x // 2")
        #expect(record["voting"]?.objectValue?["method"] == "majority")
        #expect(record["tests_passed"] == nil)
        // The same test written in the question is the user's own, and may.
        let shown = hidden.replacingOccurrences(of: #""Write half(x).""#, with: #""Write half(x).\nassert half(3) == 1.5""#)
        let chosen = try object(runStage(&stage, input: shown).lines[0])
        #expect(chosen["answer"] == "def half(x):\n    return x / 2")
        #expect(chosen["voting"]?.objectValue?["method"] == "tests-passed")
    }

    @Test func whenNoSamplePassesTheVoteStands() throws {
        let input = #"{"query":"Write f.\nassert f() == 1","samples":[{"text":"```\ndef f(): return 2\n```"},{"text":"```\ndef f(): return 2\n```"},{"text":"```\ndef f(): return 3\n```"}]}"# + "\n"
        var stage = VoteStage(registry: nil, format: .code)
        let record = try object(runStage(&stage, input: input).lines[0])
        #expect(record["answer"] == "def f(): return 2")
        #expect(record["voting"]?.objectValue?["method"] == "tests-passed (none passed: majority kept)")
    }

    @Test func withoutASandboxItVotesOnTheCodeAndSaysWhy() throws {
        var stage = VoteStage(registry: nil, format: .code)
        stage.execution = CodeExecution(sandbox: .failure(SandboxUnavailable("needs sandbox: no unshare")))
        let input = #"{"query":"assert f() == 1","samples":[{"text":"```\ndef f(): return 1\n```"}]}"# + "\n"
        let record = try object(runStage(&stage, input: input).lines[0])
        #expect(record["voting"]?.objectValue?["note"] == "tests not run (needs sandbox: no unshare); voted on the code itself")
        #expect(record["answer"] == "def f(): return 1")
    }
}

/// Programs as answers (`answer_format: program`): each sample's program runs in the sandbox and
/// the vote counts what the programs printed, not what they say.
@Suite(.serialized) struct ProgramVotingTests {
    @Test(arguments: [
        ("394\n", "394"), ("394.0", "394"), ("0.30000000000000004", "0.3"), ("-17.280837800000002\n", "-17.2808378"),
        ("working...\n1,000\n\n", "1000"), ("121932631112635269", "121932631112635269"), ("True", "True"), ("", nil), ("\n \n", nil),
    ] as [(String, String?)])
    func theLastPrintedLineIsTheValueAndNumbersCompareAsNumbers(printed: String, value: String?) {
        #expect(ProgramAnswer.value(printed: printed) == value)
    }

    @Test func samplesVoteWithWhatTheirProgramsPrint() throws {
        // Three programs that compute 394 three ways, one that says 300 in words but prints 394, one wrong.
        let samples = ["print(312 + 82)", "```python\nx = 312\nprint(x + 82.0)\n```", "The answer is 300.\n```\nprint(400 - 6)\n```",
                       "print(312 - 82)", "print(1/0)", "I think it is 394."]
        let input = try JSONWriter.string(.object(["samples": .array(samples.map { ["text": .string($0)] })])) + "\n"
        var stage = VoteStage(registry: nil, format: .program)
        let (lines, outcome) = try runStage(&stage, input: input)
        #expect(outcome.errors == 0)
        let record = try object(lines[0])
        #expect(record["answers"] == ["394", "394", "394", "230", .null, .null])
        #expect(record["answer"] == "394")
        #expect(record["votes"] == ["394": 3, "230": 1])
        #expect(record["voting"] == ["format": "program", "method": "majority"])
        let list = try #require(record["runs"]?.arrayValue)
        let runs = list.compactMap(\.objectValue)
        #expect(runs.prefix(5).map { $0["ended"]?.stringValue } == ["ok", "ok", "ok", "ok", "ZeroDivisionError: division by zero"])
        #expect(runs[1]["program"] == "x = 312\nprint(x + 82.0)" && runs[1]["output"] == "394.0\n")
        // Text that is not Python is run as it is, fails, and says why.
        #expect(runs[5]["ended"]?.stringValue?.hasPrefix("SyntaxError") == true, "\(runs[5])")
    }

    @Test func aRunLocoGenAlreadyMadeIsReusedNotRepeated() throws {
        // loco-gen's early stop ran this program and kept the run; loco-vote takes it as it is.
        let input = #"{"samples":[{"text":"print(2 + 2)","run":{"program":"print(2 + 2)","output":"4\n","ended":"ok"}}]}"# + "\n"
        var stage = VoteStage(registry: nil, format: .program)
        stage.programs = ProgramRunner(sandbox: .failure(SandboxUnavailable("needs sandbox: must not be asked")))
        let record = try object(runStage(&stage, input: input).lines[0])
        #expect(record["answer"] == "4")
    }

    @Test func withoutASandboxTheRecordIsAnErrorAndNothingRuns() throws {
        var stage = VoteStage(registry: nil, format: .program)
        stage.programs = ProgramRunner(sandbox: .failure(SandboxUnavailable("needs sandbox: bubblewrap is not installed")))
        let (lines, outcome) = try runStage(&stage, input: #"{"samples":[{"text":"print(1)"}]}"# + "\n")
        #expect(outcome.errors == 1)
        let error = try object(lines[0])["error"]?.objectValue
        #expect(error?["message"]?.stringValue?.hasPrefix("needs sandbox: bubblewrap is not installed") == true, "\(lines[0])")
    }

    @Test func theAdaptersAnswerFormatChoosesPrograms() throws {
        let registry = try Registry.parse(testRegistryYAML.replacingOccurrences(of: "    answer_format: number\n", with: "    answer_format: program\n"))
        var stage = VoteStage(registry: registry)
        let record = try object(runStage(&stage, input: #"{"adapter":"math-reasoning","samples":[{"text":"print(6 * 7)"}]}"# + "\n").lines[0])
        #expect(record["answer"] == "42" && record["voting"]?.objectValue?["format"] == "program")
    }
}

@Suite struct ProgramTextTests {
    @Test(arguments: [
        (" print(221 + 173)", "print(221 + 173)"),
        (" x = 1\nprint(x)", "x = 1\nprint(x)"),
        ("    x = 1\n    print(x)", "x = 1\nprint(x)"),
        ("def f():\n    return 1\nprint(f())", "def f():\n    return 1\nprint(f())"),
        ("def f():\n    return 1", "def f():\n    return 1"),
    ])
    func aCompletionsLeadingSpaceIsNotAnIndentedBlock(written: String, run: String) {
        #expect(ProgramRunner.dedented(written) == run)
    }
}
