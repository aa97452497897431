import Testing
import LocoKit
import LocoRegistry
@testable import LocoPrompt
import LocoTestSupport

@Suite struct AnswerStartTests {
    @Test func aPastedStubIsWhereTheAnswerStarts() {
        // As BIG-bench's programming challenges and students ask: comments, then the signature.
        let query = "can u write this in python pls\n# It will return an interlaced string.\ndef interlace_strings(str1, str2):"
        #expect(AnswerStart.code(for: query) == " ```python\n# It will return an interlaced string.\ndef interlace_strings(str1, str2):\n    ")
    }

    @Test func aFencedFunctionWithOnlyItsDocstringIsCompletedWithTheWholeBlock() {
        // As HumanEval asks: imports and the stub in a fence; a helper above it stays in the answer.
        let query = """
            Complete this Python function so that it does what its docstring says:
            ```python
            from typing import List


            def is_even(n: int) -> bool:
                return n % 2 == 0


            def evens(numbers: List[int]) -> List[int]:
                \"\"\" Keep the even numbers.
                >>> evens([1, 2])
                [2]
                \"\"\"
            ```
            """
        let start = AnswerStart.code(for: query)
        #expect(start?.hasPrefix(" ```python\nfrom typing import List\n\n\ndef is_even(n: int) -> bool:\n") == true)
        #expect(start?.hasSuffix("    [2]\n    \"\"\"\n    ") == true)
    }

    @Test func codeThatIsWhole() {
        // A function with a body is a question about it, not one to finish.
        #expect(AnswerStart.code(for: "What does this print?\n```python\ndef f(x):\n    return x * 2\nprint(f(3))\n```") == nil)
        #expect(AnswerStart.code(for: "Fix this:\ndef f(x):\n    return x +") == nil)
        // Text after the code is what the question asks.
        #expect(AnswerStart.code(for: "```python\ndef f(x):\n```\nWhat should f return?") == nil)
        #expect(AnswerStart.code(for: "Write a Python function that reverses a string.") == nil)
    }

    @Test func aMethodsBodyIsIndentedUnderIt() {
        let query = "Finish the class:\nclass Stack:\n    def push(self, item):\n        '''Add item on top.'''"
        #expect(AnswerStart.code(for: query)?.hasSuffix("'''Add item on top.'''\n        ") == true)
    }

    @Test func loCoPromptEndsTheRawPromptWithTheStartForACodeAdapterOnly() throws {
        let registry = try Registry.parse(testRegistryYAML.replacingOccurrences(of: "    answer_format: number", with: "    answer_format: code"))
        var stage = PromptStage(registry: registry)
        let stub = "Write it.\\ndef double(x):"
        let (lines, outcome) = try runStage(&stage, input: #"{"query":"\#(stub)","adapter":"math-reasoning"}"# + "\n"
                                            + #"{"query":"\#(stub)","adapter":"writing-academic"}"# + "\n")
        #expect(outcome.exitCode == 0)
        let code = try object(lines[0])
        #expect(code["answer_start"] == " ```python\ndef double(x):\n    ")
        #expect(code["prompt"]?.stringValue?.hasSuffix("Read the question again: Write it.\ndef double(x):\nA: ```python\ndef double(x):\n    ") == true)
        // A chat engine reads the question as it is.
        #expect(code["messages"]?.arrayValue?.last?.objectValue?["role"] == "user")
        let text = try object(lines[1])
        #expect(text["answer_start"] == nil)
        #expect(text["prompt"]?.stringValue?.hasSuffix("\nA:") == true)
    }
}
