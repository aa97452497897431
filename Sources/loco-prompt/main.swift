import ArgumentParser
import LocoCLI
import LocoKit
import LocoPrompt

struct LocoPromptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loco-prompt",
        abstract: "Build each record's prompt: the adapter's system prompt and RE2 re-reading.",
        discussion: """
            Reads records with `query` (and `adapter`, from loco-route) and adds `messages` (chat \
            form: system + user), `prompt` and `stop` (raw completion form, for base models with no \
            chat template) and `strategy`. RE2 is on by default: the question, then \
            "Read the question again:" and the question once more (Xu et al., EMNLP 2024).

            A multiple choice (a `choices` field, or options the query lays out in lines lettered \
            A, B, C…) also gets `choice_prompt`, the question without its options, read once, and \
            `choice_null_prompt`, the same prompt with no question: loco-gen scores each option \
            after both and answers with the one the question makes likeliest (docs/record-format.md).

            A question for an adapter that answers with code (code-python) whose code ends in a \
            function with no body yet (`def next_palindrome(n):`, a docstring under it at most) \
            gets `answer_start`: the answer starts with that code in a ```python fence and the \
            body's indentation, and the raw `prompt` ends with it, so that the model writes the \
            body (as HumanEval asks) instead of copying the stub and the prompt after it.

            \(LocoCLI.exitCodesHelp)
            """,
        version: LocoCLI.version)

    @Flag(name: .customLong("no-re2"), help: "Ask the question once, without RE2 re-reading.")
    var noRE2 = false

    @OptionGroup var registryOptions: RegistryOptions

    func run() throws {
        var stage: PromptStage
        do { stage = PromptStage(registry: try registryOptions.load(), reRead: !noRE2) } catch { LocoCLI.fail("loco-prompt", error) }
        throw ExitCode(LocoCLI.run(&stage).exitCode)
    }
}

LocoCLI.main(LocoPromptCommand.self, example: #"echo '{"query":"What is 2+3?","adapter":"math-reasoning"}' | loco-prompt | jq -r .prompt"#)
