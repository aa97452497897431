import ArgumentParser
import Foundation
import LocoCLI
import LocoKit
import LocoScore

extension Metric: ExpressibleByArgument {}

struct LocoScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loco-score",
        abstract: "Score each record's answer against its expected answer.",
        discussion: """
            Reads records with `answer` (from loco-vote) and `expected`, adds `score` \
            {metric, value} and prints a summary line on stderr:
              n=… scored=… correct=… accuracy=… errors=…
            Metrics: numeric_match (both sides read as numbers, equal within a relative 1e-6), \
            exact_match (case, outer punctuation and extra spaces ignored), auto (numeric when \
            `expected` is a number, else exact). A record with no `expected` passes unscored.

            \(LocoCLI.exitCodesHelp)
            """,
        version: LocoCLI.version)

    @Option(help: ArgumentHelp("numeric_match, exact_match or auto.", valueName: "name"))
    var metric: Metric = .auto

    @Option(help: ArgumentHelp("Also write the summary as JSON to this file.", valueName: "file"))
    var summary: String?

    func run() throws {
        var stage = ScoreStage(metric: metric)
        let outcome = LocoCLI.run(&stage)
        let figures = stage.summary(outcome)
        printError("loco-score: \(figures.line)")
        if let summary {
            let bytes = JSONWriter.serialize(figures.json) + [0x0A]
            guard FileManager.default.createFile(atPath: summary, contents: Data(bytes)) else {
                LocoCLI.fail("loco-score", ConfigError("cannot write summary to \(summary)"))
            }
        }
        throw ExitCode(outcome.exitCode)
    }
}

LocoCLI.main(LocoScoreCommand.self, example: #"echo '{"answer":"1000","expected":"1,000"}' | loco-score --summary summary.json | jq .score"#)
