import ArgumentParser
import LocoKit

public enum LocoCLI {
    /// The same for every tool, so `--version` answers alike everywhere.
    public static let version = "0.1.0"

    /// Exit codes, as documented in each tool's help.
    public static let exitCodesHelp = """
        Exit status: 0 when every record came out without an error, 1 when any record carries an \
        error (it is still written, as an error record), 2 on a usage or configuration error or when the output cannot be written.
        """

    /// Runs `stage` over stdin to stdout (or into `resume`'s file, finished records kept in place). Ctrl-C stops it
    /// between records, except that a stage reading a pipe drains it first (see `Interruption`).
    /// `progress`, when given and stderr is a terminal, is one line rewritten after each record.
    public static func run<S: Stage>(_ stage: inout S, flushEachRecord: Bool = false, resume: ResumeFile? = nil, parallelism: Int = 1,
                                     progress: ((S, StageRunner.Outcome) -> String)? = nil) -> StageRunner.Outcome {
        Interruption.install()
        var runner = StageRunner()
        runner.stopOnInterrupt = flushEachRecord || !Interruption.stdinIsPipe
        runner.parallelism = parallelism
        let writer: OutputWriter
        if let resume {
            do { writer = try resume.writer() } catch { fail(stage.name, error) }
            runner.earlier = resume.earlier
        } else {
            writer = OutputWriter()
        }
        let outcome: StageRunner.Outcome
        let line = ProgressLine()
        if let progress, line.enabled {
            outcome = runner.run(&stage, writer: writer, flushEachRecord: flushEachRecord) { stage, outcome in
                line.show(progress(stage, outcome))
            }
            line.clear()
        } else {
            outcome = runner.run(&stage, writer: writer, flushEachRecord: flushEachRecord)
        }
        if let resume {
            do { try resume.finish(writer) } catch { fail(stage.name, error) }
        }
        return outcome
    }

    /// Parses and runs `command`, with `--help` ending in a runnable example (argument-parser
    /// puts the discussion before the options, and an example belongs last, as in jq and rg).
    public static func main<C: ParsableCommand>(_ command: C.Type, example: String) -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("-h") || arguments.contains("--help") || arguments.first == "help" {
            // `tool sub [sub...] --help` gets the subcommand's own help; the example is the tool's.
            var target: ParsableCommand.Type = command
            for word in arguments.filter({ !$0.hasPrefix("-") && $0 != "help" }) {
                guard let sub = target.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
                target = sub
            }
            print(command.helpMessage(for: target, columns: nil))
            if target == command { print("EXAMPLE:\n  \(example)") }
            exitAfterFlushing(0)
        }
        do {
            var parsed = try command.parseAsRoot(arguments)
            try parsed.run()
            exitAfterFlushing(0)
        } catch {
            let code = command.exitCode(for: error)
            if code == .success {
                let message = command.fullMessage(for: error)
                if !message.isEmpty { print(message) }
                exitAfterFlushing(0)
            }
            if error is ExitCode { exitAfterFlushing(code.rawValue) }
            // A usage mistake is exit 2, as every tool's --help says (argument-parser's own is 64),
            // said in one line and the usage, not the whole help page.
            let name = command.configuration.commandName ?? "loco"
            printError("\(name): \(command.message(for: error))\nUsage: \(command.usageString())\n  See '\(name) --help' for more.")
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    /// What `print` left in stdio's buffer goes out before the exit, and a write that fails (a
    /// full disk under `> file`) is a failure, not a silent loss.
    static func exitAfterFlushing(_ code: Int32) -> Never {
        // ferror too: with a line-buffered stdout (stdbuf -oL) the failed write came before, and
        // the final flush has nothing left to fail on.
        errno = 0
        let failed = fflush(stdout) != 0 || ferror(stdout) != 0
        if failed && errno != EPIPE {
            printError("\(toolName()): cannot write standard output" + (errno == 0 ? "" : ": \(String(cString: strerror(errno)))"))
            Foundation.exit(2)
        }
        Foundation.exit(code)
    }

    /// A configuration problem, said in one line, exit 2.
    public static func fail(_ tool: String, _ error: Error) -> Never {
        printError("\(tool): \(error)")
        Foundation.exit(2)
    }
}

import Foundation
