import ArgumentParser
import LocoCLI
import LocoKit
import LocoVote
import LocoAnswers

extension AnswerExtractor.Format: ExpressibleByArgument {}

struct LocoVoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loco-vote",
        abstract: "Pick each record's final answer by majority vote over its samples.",
        discussion: """
            Reads records with `samples` (from loco-gen), extracts a final answer from each \
            sample and adds `answers` (one per sample, null where none), `answer`, `votes` \
            {answer: count}, `agreement` and `voting` {format, method}. Formats: number reads \
            "The answer is N", "#### N", \\boxed{N} or else the last number, so "1,000", "$1000.00" \
            and "1000" vote together; choice takes the chosen letter or option text of `choices`; \
            label takes a label from `labels`; code takes the first fenced code block, with the \
            imports it uses and leaves out put first (one the question shows, a `typing` name, \
            a standard module; listed in `voting.imports`); text \
            takes the trimmed text; program runs each sample's Python (a fenced block or the \
            whole text) in the sandbox and takes the last line it printed, recording each run in \
            `runs` {program, output, ended}: a program that fails, prints nothing or hits a limit \
            does not vote; auto (the default for the base model) takes a stated answer, \
            else the text. Numbers, choices and labels go by majority (a tie goes to the one seen \
            first); free text by the medoid (highest mean ROUGE-L to the others); code whose \
            question shows asserts (`assert add(2, 3) == 5` on a line of `query`) by running each \
            sample's code against those in the sandbox (docs/sandbox.md) and keeping the one that \
            passes most (`tests_passed`). The record's `tests` are the scorer's and never steer \
            the vote. An adapter's `answer_format` \
            in the registry chooses for its records unless --format is given.

            \(LocoCLI.exitCodesHelp)
            """,
        version: LocoCLI.version)

    @Option(help: ArgumentHelp("How to read an answer: number, choice, label, code, text, program or auto. Overrides the adapter's answer_format.", valueName: "format"))
    var format: AnswerExtractor.Format?

    @OptionGroup var registryOptions: RegistryOptions

    func run() throws {
        var stage = VoteStage(registry: registryOptions.loadIfAvailable(tool: "loco-vote"), format: format)
        throw ExitCode(LocoCLI.run(&stage).exitCode)
    }
}

LocoCLI.main(LocoVoteCommand.self, example: #"echo '{"samples":[{"text":"$1,000"},{"text":"1000"},{"text":"900"}]}' | loco-vote --format number | jq -c '{answer,votes}'"#)
