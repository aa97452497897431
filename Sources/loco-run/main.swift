import ArgumentParser
import Foundation
import LocoCLI
import LocoEngines
import LocoKit
import LocoAnswers
import LocoQuery
import LocoRoute

struct LocoRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loco-run",
        abstract: "Run a problem set through the whole stack; show each answer and the accuracy (what `loco run` runs).",
        discussion: """
            Each record of FILE goes through the \
            stages of `loco-route | loco-prompt | loco-gen | loco-vote | loco-score`, in one \
            process: routed (classifier, else keywords; --adapter forces one), prompted with RE2, \
            generated, voted on, scored. Records are answered several at a time (--parallel; by \
            default as many as the engine has slots for), records of one adapter back to back, and \
            written to OUT in input order as soon as those before them are done. Each finished \
            record is shown as a row on stdout (id, adapter, answer, ok / wrong / unscored); on a \
            terminal a progress line on stderr gives the share done and the time left. The last \
            line is the accuracy, with the seed the run used (without --seed one is drawn and \
            shown, so the run can be repeated).

            FILE is JSON Lines (`query`, and `expected` to be scored, optionally its `metric`), CSV \
            or TSV with a header row (columns `question`, `answer` or `expected`, `id`, `metric`, \
            … by name, or as --map says), or plain text with one question per line or numbered \
            questions. Each record is scored by its own `metric`, else by auto (docs/homework.md). \
            --format csv|tsv (or an OUT ending in .csv/.tsv) writes OUT as a spreadsheet: id, \
            query, adapter, answer, expected, metric, score, error.

            Ctrl-C or SIGTERM stops after the records in flight are abandoned, with every finished \
            record in OUT, and says the command that carries on (the run's own flags, its seed, \
            --resume OUT): that runs only the records (by id, else by line) that OUT lacks and puts \
            them in their places. One run writes an OUT at a time: a second one on it refuses at \
            once. A full disk stops the run with one line; OUT keeps only whole records (a \
            resume leaves it as it was).

            Exit status: 0 when every record was answered and every scored answer was right, 1 when \
            an answer was wrong or a record ended in error, 2 on a usage or configuration error or when OUT cannot be written, \
            130/143 when interrupted.
            """,
        version: LocoCLI.version)

    @Argument(help: ArgumentHelp("The problem set: JSON Lines, CSV or TSV with a header row, or plain text.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Columns whose names say nothing: COLUMN=FIELD,… (e.g. Frage=query,Loesung=expected).", valueName: "map"))
    var map: String?

    @Option(help: ArgumentHelp("jsonl, csv or tsv. [default: from OUT's extension, else jsonl]", valueName: "format"))
    var format: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where the records go. [default: FILE.results.jsonl]", valueName: "out"))
    var output: String?

    @Option(help: ArgumentHelp("Continue an interrupted run: keep OUT's finished records, run the rest, append them.", valueName: "out"))
    var resume: String?

    @Option(help: ArgumentHelp("Answer every record with this adapter (none: the base model) instead of routing.", valueName: "name"))
    var adapter: String?

    @OptionGroup var answering: AnsweringOptions

    @Option(help: ArgumentHelp("Records answered at once. [default: the engine's slots divided by the samples per record; 2 for Ollama]", valueName: "n"))
    var parallel: Int?

    @OptionGroup var engine: EngineOptions
    @OptionGroup var registryOptions: RegistryOptions

    func validate() throws {
        if let parallel, parallel < 1 { throw ValidationError("--parallel must be at least 1") }
        if output != nil && resume != nil { throw ValidationError("give -o OUT for a new run or --resume OUT to carry one on, not both") }
        if let format, !["jsonl", "csv", "tsv"].contains(format) { throw ValidationError("--format is jsonl, csv or tsv") }
        if resume != nil && tableFormat != nil { throw ValidationError("--resume carries on a JSON Lines OUT; a CSV or TSV one is written whole: run again with -o") }
        if format == nil, let named = output ?? resume, !["", "jsonl", "json", "ndjson", "csv", "tsv"].contains((named as NSString).pathExtension.lowercased()) {
            throw ValidationError("\(named): name OUT .jsonl, .csv or .tsv (or give --format), which says what it holds")
        }
    }

    /// csv or tsv when OUT is to be a spreadsheet.
    var tableFormat: String? {
        let chosen = format ?? (output ?? resume).map { ($0 as NSString).pathExtension.lowercased() }
        return chosen == "csv" || chosen == "tsv" ? chosen : nil
    }

    func run() throws {
        guard FileManager.default.isReadableFile(atPath: file) else { LocoCLI.fail("loco-run", ConfigError("cannot read \(file)")) }
        let source: (path: String, converted: Bool, format: ProblemSetFile.Format)
        do {
            source = try ProblemSetFile.asJSONLines(file, map: try map.map(ColumnMap.init) ?? ColumnMap())
        } catch {
            LocoCLI.fail("loco-run", error)
        }
        defer { if source.converted { unlink(source.path) } }
        let stem = (file as NSString).pathExtension.isEmpty ? file : (file as NSString).deletingPathExtension
        let shown = resume ?? output ?? stem + ".results." + (tableFormat ?? "jsonl")
        // A spreadsheet is written from the records when the run ends.
        let out = tableFormat == nil ? shown : NSTemporaryDirectory() + "loco-run-\(UUID().uuidString).jsonl"
        defer { if tableFormat != nil { unlink(out) } }
        let settings: QuerySettings
        var batch: BatchRun
        var resumeFile: ResumeFile?
        do {
            settings = try QuerySettings(votes: answering.votes, earlyStop: !answering.noEarlyStop, stopConfidence: answering.stopConfidence,
                                         reRead: !answering.noRe2, sampling: answering.sampling.sampling(seed: Int.random(in: 1...999_999)),
                                         adapter: adapter, choices: answering.choices)
            let engines = Engines(settings: try engine.settings())
            let (registry, model) = try StandardRouter.load(registry: registryOptions.registry, needsModel: adapter == nil)
            let pipeline = try QueryPipeline(registry: registry, routerModel: model, engines: engines, settings: settings, scoring: .auto)
            batch = BatchRun(pipeline: pipeline, parallelism: parallel ?? BatchRun.defaultParallelism(engines: engines, samples: settings.votes))
            // A spreadsheet OUT is written whole at the end; it is held from the start all the same.
            if tableFormat != nil { try OutputFile.lock(shown) }
            if let resume {
                resumeFile = try ResumeFile.prepare(resume)
                printError("loco-run: resuming \(resume): \(resumeFile!.summary)")
            }
        } catch {
            LocoCLI.fail("loco-run", error)
        }

        Interruption.install()
        let line = ProgressLine()
        let total = BatchRun.lineCount(source.path)
        let started = Date()
        let report: BatchRun.Report
        do {
            report = try batch.run(input: source.path, output: out, resume: resumeFile, row: { row in
                line.clear()
                print(row)
                fflush(stdout)
            }, progress: line.enabled ? { done, outcome in
                line.show("loco-run: \(outcome.errors) errors" + Progress.remaining(done: done, total: total, thisRun: outcome.records,
                                                                                    seconds: Date().timeIntervalSince(started)))
            } : nil)
        } catch {
            LocoCLI.fail("loco-run", error)
        }
        line.clear()
        if let tableFormat {
            do {
                try BatchTable.write(records: out, to: shown, delimiter: tableFormat == "csv" ? "," : "\t")
            } catch {
                LocoCLI.fail("loco-run", error)
            }
        }
        print("\n" + report.tally.summary(output: shown, seed: settings.sampling.seed))
        if report.outcome.interrupted {
            let again = tableFormat == nil
                ? ResumeHint.command("loco run", arguments: Array(CommandLine.arguments.dropFirst()), out: out, seed: settings.sampling.seed ?? 0)
                : "loco run \(ResumeHint.shellQuoted(file)) again (a spreadsheet OUT cannot be resumed)"
            printError("loco: interrupted: finished records are in \(shown); carry on with: \(again)")
            throw ExitCode(Interruption.exitCode)
        }
        throw ExitCode(report.tally.exitCode)
    }
}

LocoCLI.main(LocoRunCommand.self, example: "loco-run examples/problems.jsonl --votes 3 -o /tmp/problems.results.jsonl")
