import Testing
import LocoSandbox
import LocoTestSupport
@testable import LocoVote

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

    @Test func anAnswerThatLeavesOutItsImportGetsItAndTheRecordSaysSo() throws {
        // The question pastes a stub with its import; one sample writes the function without it.
        let bare = #"```python\ndef total(xs: List[int]) -> int:\n    return sum(xs)\n```"#
        let input = #"{"query":"from typing import List\ndef total(xs: List[int]) -> int:\n    \"\"\"Sum xs.\"\"\"\nassert total([1, 2]) == 3","samples":[{"text":"\#(bare)"},{"text":"no code"}]}"# + "\n"
        var stage = VoteStage(registry: nil, format: .code)
        let record = try object(runStage(&stage, input: input).lines[0])
        #expect(record["answer"] == "from typing import List\ndef total(xs: List[int]) -> int:\n    return sum(xs)")
        #expect(record["voting"]?.objectValue?["imports"] == ["from typing import List"])
        #expect(record["tests_passed"] == [1, 0], "with its import the function loads and passes the shown test")
    }
}
