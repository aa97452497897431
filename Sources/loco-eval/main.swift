import ArgumentParser
import Foundation
import LocoCLI
import LocoAnswers
import LocoEngines
import LocoEval
import LocoKit
import LocoReport
import LocoRoute
import LocoRegistry

struct LocoEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loco-eval",
        abstract: "The gate: does an adapter beat the base model on its own benchmark, without hurting another? (what `loco eval` runs)",
        discussion: """
            Runs the adapter's benchmark (registry `benchmark`, checked against `benchmark_sha256`) \
            with the base model and with the adapter, then another adapter's benchmark (--against, \
            default the next in the registry) likewise, then each of the adapter's further \
            benchmarks (registry `more_benchmarks`: a harder tier, a second task) likewise: \
            greedy, seed 1, RE2 on, each benchmark's own metric. The adapter passes when the lower \
            end of the 95% interval of its score (Wilson's for right-or-wrong items, a bootstrap \
            for means such as GLEU) clears the base model's score (a win inside the noise is no \
            win) and it loses at most 5 points out of domain, on each further benchmark, and on \
            each source of a benchmark drawn from several (the verdict lists them). Writes eval/results.json, prints the verdict, and \
            records the scores in the registry (not with --limit or --no-update). \
            --ablation runs each layer instead: the base model, + RE2, + 5 votes, + the adapter, \
            and the full routed stack; it writes eval/ablation.json, which `loco report` renders.
            --mixed answers the mixed benchmark (bench/data/mixed.jsonl: questions from sources \
            no adapter or router trained on, every domain and general questions) five ways: the \
            base model, + RE2, the routed stack, the routed stack with 5 votes, and the right \
            adapter forced (the router's cost); the base model's two rows write their answers, \
            where the stack scores a multiple choice's options (--choices in loco-gen); it prints \
            a score per domain with 95% intervals \
            and how the router did, and writes bench/mixed/results.json, the table `loco report` \
            leads with. Its answers get 128 tokens unless --max-tokens or LOCO_MAX_TOKENS says \
            otherwise, as in every table published from it.

            Each pass keeps its records in eval/runs/NAME.jsonl; interrupted, the same command \
            carries on where it stopped, unless the weights or settings changed since, or for \
            the routed passes the router model (after retraining the pass starts again, and says so). On a terminal a progress line shows the share done and \
            the time left. Before the first pass it asks llama-server whether it loaded the LoRAs the \
            passes apply (the adapter for the gate; every one for --ablation and --mixed) and stops \
            with exit 2 if not, saying how to load them: nothing is measured on an engine that \
            would answer every such question with an error.

            Exit status: 0 the adapter passed (or the ablation ran), 1 it did not, 2 a usage or \
            configuration error, 130/143 interrupted.
            """,
        version: LocoCLI.version)

    @Argument(help: ArgumentHelp("The adapter to judge.", valueName: "adapter"))
    var adapter: String?

    @Option(help: ArgumentHelp("The other domain whose benchmark must not suffer. [default: the next adapter in the registry]", valueName: "name"))
    var against: String?

    @Option(help: ArgumentHelp("Only the first N items of each benchmark (a quick look; the registry keeps its scores).", valueName: "n"))
    var limit: Int?

    @OptionGroup var budget: TokenBudgetOptions

    @Flag(help: "Do not record the scores in the registry.")
    var noUpdate = false

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Folder for results.json and runs/. [default: adapters/ADAPTER/eval]", valueName: "dir"))
    var output: String?

    @Option(help: ArgumentHelp("Print the gate's verdict on an existing results.json and exit as the gate would.", valueName: "results.json"))
    var check: String?

    @Flag(help: "Measure each layer of the stack instead of the gate.")
    var ablation = false

    @Flag(help: "Answer the mixed benchmark five ways instead of gating an adapter (name no adapter).")
    var mixed = false

    @Option(help: ArgumentHelp("The mixed benchmark's file. [default: bench/data/mixed.jsonl beside the registry's adapters/]", valueName: "file"))
    var mixedFile: String?

    @Option(help: ArgumentHelp("Records answered at once. [default: the engine's slots divided by the samples per record]", valueName: "n"))
    var parallel: Int?

    @OptionGroup var engine: EngineOptions
    @OptionGroup var registryOptions: RegistryOptions

    func validate() throws {
        if check == nil && adapter == nil && !mixed { throw ValidationError("name an adapter, e.g. loco eval math-reasoning (or --mixed FILE)") }
        if mixedFile != nil && !mixed { throw ValidationError("--mixed-file goes with --mixed") }
        if mixed && (adapter != nil || ablation) { throw ValidationError("--mixed measures every adapter at once: name no adapter and no --ablation") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let parallel, parallel < 1 { throw ValidationError("--parallel must be at least 1") }
    }

    func run() throws {
        if let check {
            let verdict: GateVerdict
            do {
                guard let data = FileManager.default.contents(atPath: check) else { throw ConfigError("cannot read \(check)") }
                guard case .object(let results) = try JSONParser.parse([UInt8](data)) else { throw ConfigError("\(check) is not a JSON object") }
                verdict = try GateVerdict(results: results)
            } catch {
                LocoCLI.fail("loco-eval", error)
            }
            print(verdict.line)
            throw ExitCode(verdict.passed ? 0 : 1)
        }
        let say = { (line: String) in printError("loco: \(line)") }
        let line = ProgressLine()
        let progress: EvalContext.Progress? = line.enabled ? { pass, done, total, thisRun, seconds in
            line.show("loco eval: \(pass)" + Progress.remaining(done: done, total: total, thisRun: thisRun, seconds: seconds))
        } : nil
        Interruption.install()
        do {
            let (registry, model) = try StandardRouter.load(registry: registryOptions.registry, needsModel: ablation || mixed)
            if mixed {
                try runMixed(registry: registry, model: model, say: say, progress: progress, line: line)
                return
            }
            guard let adapter else { throw ExitCode(2) }
            guard registry[adapter] != nil, let registryURL = registry.location else {
                throw ConfigError("no adapter '\(adapter)' in \(registry.location?.path ?? "the registry") (loco adapters list shows them)")
            }
            let other = against ?? registry.names.first { $0 != adapter }
            guard let other, registry[other] != nil else { throw ConfigError("no adapter '\(against ?? "")' in \(registryURL.path)") }
            let folder = output.map { URL(fileURLWithPath: $0) } ?? registry.folder(of: adapter)!.appendingPathComponent("eval")
            let context = try self.context(registry: registry, model: model, output: folder)
            // The gate applies the adapter alone; the ablation's routed row may choose any.
            try context.requireLoaded(ablation ? registry.names : [adapter])
            if ablation {
                guard let result = try Ablation(context: context, adapter: adapter).run(say: say, progress: progress) else { interrupted() }
                line.clear()
                try write(result, to: folder.appendingPathComponent("ablation.json"))
                for line in Ablation.lines(result) { print(line) }
                say("ablation in \(folder.appendingPathComponent("ablation.json").path) (loco report renders it)")
                return
            }
            let gate = Gate(context: context, adapter: adapter, against: other)
            guard let results = try gate.run(say: say, progress: progress) else { interrupted() }
            line.clear()
            let path = folder.appendingPathComponent("results.json")
            try write(results, to: path)
            let verdict = try GateVerdict(results: results)
            print(verdict.line)
            if !noUpdate && limit == nil {
                try gate.record(results, in: registryURL)
                say("registry updated: \(adapter)'s benchmark_score, base_model_score, improvement")
            }
            say("results in \(path.path)")
            if !verdict.passed { throw ExitCode(1) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            LocoCLI.fail("loco-eval", error)
        }
    }

    func context(registry: Registry, model: RouterModel?, output: URL) throws -> EvalContext {
        // The passes of one sample are greedy by definition; LOCO_TEMPERATURE sets the votes' only.
        let environment = ProcessInfo.processInfo.environment
        let sampling = mixed ? try MixedBenchmark.sampling(maxTokens: budget.maxTokens, environment: environment)
                             : try Sampling(maxTokens: budget.maxTokens, temperature: nil, seed: 1, environment: environment)
        return EvalContext(registry: registry, routerModel: model, engines: Engines(settings: try engine.settings()),
                           maxTokens: sampling.maxTokens, limit: limit, votingTemperature: sampling.temperature(samples: 5),
                           output: output, parallelism: parallel)
    }

    /// `--mixed`: runs go to bench/mixed/ beside bench/data/ when the file is there, else beside
    /// the file (or to --output).
    func runMixed(registry: Registry, model: RouterModel?, say: (String) -> Void,
                  progress: EvalContext.Progress?, line: ProgressLine) throws {
        guard let root = registry.location?.deletingLastPathComponent().deletingLastPathComponent() else {
            throw ConfigError("the registry's location is unknown: give --mixed-file")
        }
        let url = mixedFile.map { URL(fileURLWithPath: $0) } ?? root.appendingPathComponent("bench/data/mixed.jsonl")
        let data = url.deletingLastPathComponent()
        let folder = output.map { URL(fileURLWithPath: $0) }
            ?? (data.lastPathComponent == "data" ? data.deletingLastPathComponent().appendingPathComponent("mixed")
                                                 : data.appendingPathComponent("mixed"))
        let context = try context(registry: registry, model: model, output: folder)
        try context.requireLoaded(registry.names)
        let mixed = MixedBenchmark(context: context, file: url)
        guard let results = try mixed.run(say: say, progress: progress) else { interrupted() }
        line.clear()
        let path = folder.appendingPathComponent(limit == nil ? "results.json" : "results-limit-\(limit!).json")
        try write(results, to: path)
        for row in MixedTable.lines(results) { print(row) }
        say("results in \(path.path)" + (limit == nil ? " (loco report leads with them)" : ""))
    }

    func write(_ object: JSONObject, to url: URL) throws {
        try (JSONWriter.string(.object(object)) + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    func interrupted() -> Never {
        printError("loco: interrupted: each pass keeps its finished records; run the same command again to carry on")
        Foundation.exit(Interruption.exitCode)
    }
}

LocoCLI.main(LocoEvalCommand.self, example: "loco-eval sentiment --limit 20 -o /tmp/sentiment-eval")
