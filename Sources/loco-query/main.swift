import ArgumentParser
import Foundation
import LocoCLI
import LocoKit
import LocoQuery
import LocoRoute
import LocoAnswers
import LocoEngines

struct LocoQueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loco-query",
        abstract: "Answer one question with the whole stack, in one process (what `loco query` runs).",
        discussion: """
            The question goes through the four stages exactly as in \
            `loco-route | loco-prompt | loco-gen | loco-vote`: routed (classifier, else keywords), \
            prompted with RE2, generated, voted on. --json prints the record that pipe would write; \
            without it you get `[ADAPTER] first sample` and `Answer: ...` (unless the sample is \
            the answer), with the agreement when there was a vote. One process instead of four saves their start-ups and registry reads, \
            so a single query costs what the engine takes (docs/benchmarks.md). The route goes to \
            the routing log (`loco correct` fixes it) unless --no-log or LOCO_NO_LOG=1.

            --votes N draws up to N samples at --temperature and stops once the leading answer \
            cannot be overtaken (--no-early-stop draws all N); the answer is the majority. \
            --stop-confidence c stops sooner, by Adaptive-Consistency's Beta rule, with a stated \
            risk of electing what all N would not have (docs/voting.md).

            \(LocoCLI.exitCodesHelp)
            """,
        version: LocoCLI.version)

    @Argument(help: "The question.")
    var question: String

    @Option(help: ArgumentHelp("Answer with this adapter (none: the base model) instead of routing.", valueName: "name"))
    var adapter: String?

    @Flag(help: "Keep this query out of the routing log.")
    var noLog = false

    @Flag(help: "Print the whole record (JSON) instead of the answer.")
    var json = false

    @OptionGroup var answering: AnsweringOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var registryOptions: RegistryOptions

    func validate() throws {
        guard !question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError(#"give a question, e.g. loco query "What is 2+3?""#)
        }
    }

    func run() throws {
        var settings: QuerySettings
        var pipeline: QueryPipeline
        do {
            settings = try QuerySettings(votes: answering.votes, earlyStop: !answering.noEarlyStop, stopConfidence: answering.stopConfidence,
                                         reRead: !answering.noRe2, sampling: answering.sampling.sampling(), adapter: adapter,
                                         choices: answering.choices)
            settings.logRoute = !noLog && !RoutingLog.isDisabled()
            let engines = Engines(settings: try engine.settings())
            let (registry, model) = try StandardRouter.load(registry: registryOptions.registry, needsModel: adapter == nil)
            pipeline = try QueryPipeline(registry: registry, routerModel: model, engines: engines, settings: settings,
                                         routingLog: settings.logRoute ? try RoutingLog.openUnlessDisabled() : nil)
        } catch {
            LocoCLI.fail("loco-query", error)
        }
        let record: JSONObject
        do { record = try pipeline.answer(question) } catch { throw ExitCode(Interruption.exitCode) }
        let rendered = QueryAnswer.render(record)
        if case .failure(let failure) = rendered { printError(failure.message) }
        if json {
            print(JSONWriter.string(.object(record)))
        } else if case .success(let text) = rendered {
            print(text)
        }
        if record.hasError { throw ExitCode(1) }
        if settings.logRoute && isatty(2) == 1 {
            printError("loco: routed to \(record["adapter"]?.stringValue ?? "the base model"); wrong? loco correct NAME|none")
        }
    }
}

LocoCLI.main(LocoQueryCommand.self, example: #"loco-query --backend llama-server "What is 12 * 7?""#)
