import Testing
@testable import LocoAnswers
@testable import LocoKit
import LocoRegistry
import LocoSandbox
import LocoTestSupport
@testable import LocoVote

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
        let input = JSONWriter.string(.object(["samples": .array(samples.map { ["text": .string($0)] })])) + "\n"
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
