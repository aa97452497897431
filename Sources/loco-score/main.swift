import ArgumentParser
import Foundation
import LocoCLI
import LocoKit
import LocoScore
import LocoAnswers
import LocoEngines
import LocoSandbox

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
            exact_match (case, outer punctuation and extra spaces ignored), token_f1 (SQuAD's: lower-cased, \
            ASCII punctuation and a/an/the removed, F1 over the bag of words), rouge_l (ROUGE-L F1, the \
            tokenizer of Google's rouge-score without stemming), gleu (a correction of the record's \
            `original` against each human correction in `expected`, JFLEG's GLEU, the mean over them), classification (exact match per \
            record; the summary adds macro_f1 over the expected labels), choice (the option named, by \
            letter or text), short_answer (the text alone or stated in a sentence, not in a list of \
            candidates, not denied; true/false also as T/F), date (the same day in any common \
            form), auto (per record: its own `metric`, else pass@1 for `tests` \
            without `expected`, choice for `choices`, classification for `labels`, date for a date, \
            numeric_match for a number — units, words and scales read —, short_answer for up to five words, \
            rouge_l for more; docs/homework.md; a hedge — two answers where one was asked — \
            scores 0), \
            pass@1 (the answer's code, e.g. loco-vote --format code, run with the record's `tests` and \
            `check(entry_point)` where HumanEval-style tests define `check`) and pass@k (every sample's \
            code in `answers`, the unbiased estimate for --k), and judge (an engine grades the answer \
            from 1 to 5 against --rubric, given `query` and `expected` when there; --judge-runs times \
            with seeds 1, 2, 3…, the mean mapped to 0-1 as `value`, each run in `grades` and their \
            `spread`; the engine comes from --backend/--url/--model as for loco-gen). Code runs only in the sandbox (docs/sandbox.md): bubblewrap, as \
            nobody, no network, no home directory, a 32 MiB /tmp; limits for the whole run on memory \
            (1 GiB) and processes (64), 5 s of CPU per process, 10 MiB per file, 10 s in all. The \
            tests run in a harness process the code cannot reach, so exiting early, printing, or \
            patching Python cannot make a test pass; `score.runs` says how each run ended, naming \
            the limit that stopped it. Where no sandbox can be had the record is an error: code is \
            never run without one. A record \
            with no `expected` (and no `tests`) passes unscored.

            \(LocoCLI.exitCodesHelp)
            """,
        version: LocoCLI.version)

    @Option(help: ArgumentHelp("numeric_match, exact_match, short_answer, date, choice, token_f1, rouge_l, gleu, classification, pass@1, pass@k, judge or auto.", valueName: "name"))
    var metric: Metric = .auto

    @Option(help: "With --metric pass@k: the k.")
    var k = 1

    @Option(help: ArgumentHelp("Also write the summary as JSON to this file (with `ci95`, the accuracy's 95% Wilson interval).", valueName: "file"))
    var summary: String?

    @Option(help: ArgumentHelp("With --metric judge: what the judge checks, as text or @FILE. [default: correctness of the final answer]", valueName: "rubric"))
    var rubric: String?

    @Option(help: "With --metric judge: how many times each answer is judged (seeds 1, 2, …); the grades are averaged.")
    var judgeRuns = 3

    @Flag(help: "Say whether code answers can be run here (the sandbox's own probe), then exit: 0 when they can.")
    var checkSandbox = false

    @OptionGroup var engine: EngineOptions

    func validate() throws {
        if k < 1 { throw ValidationError("--k must be at least 1") }
        if judgeRuns < 1 { throw ValidationError("--judge-runs must be at least 1") }
        if rubric != nil && metric != .judge { throw ValidationError("--rubric goes with --metric judge") }
    }

    func run() throws {
        if checkSandbox {
            do {
                _ = try Sandbox.make()
                print("ok: code answers run in bubblewrap's sandbox as nobody, with the limits of docs/sandbox.md")
                return
            } catch {
                LocoCLI.fail("loco-score", error)
            }
        }
        var stage = ScoreStage(metric: metric)
        stage.k = k
        if metric == .judge {
            do {
                let settings = try engine.settings()
                var judge = Judge(backend: Engines(settings: settings).make())
                if let rubric {
                    judge.rubric = rubric.hasPrefix("@") ? try String(contentsOfFile: String(rubric.dropFirst()), encoding: .utf8) : rubric
                }
                judge.runs = judgeRuns
                stage.judge = judge
            } catch {
                LocoCLI.fail("loco-score", error)
            }
        }
        let outcome = LocoCLI.run(&stage)
        let figures = stage.summary(outcome)
        printError("loco-score: \(figures.line)")
        if let summary {
            let bytes = JSONWriter.serialize(figures.json) + [0x0A]
            do { try OutputFile.replace(summary, with: bytes) } catch { LocoCLI.fail("loco-score", error) }
        }
        throw ExitCode(outcome.exitCode)
    }
}

LocoCLI.main(LocoScoreCommand.self, example: #"echo '{"answer":"1000","expected":"1,000"}' | loco-score --summary summary.json | jq .score"#)
