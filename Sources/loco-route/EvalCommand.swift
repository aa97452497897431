import ArgumentParser
import Foundation
import LocoCLI
import LocoEngines
import LocoKit
import LocoRoute
import LocoRegistry

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure routers on labelled queries: accuracy, macro-F1, confusion matrix.",
        discussion: """
            DATA is JSON Lines with `query` and `adapter` (null or absent: the base model), as \
            for `train`. Without --router, every router available is measured on the same \
            queries (keyword, and classifier when a model is found), so they can be compared. \
            Each query is routed exactly as `loco-route` would, threshold included.

            --leave-one-source-out measures how routing holds on queries phrased unlike the \
            training data, the figure docs/routing.md leads with: DATA needs a `source` on every \
            line (adapters/router/*.jsonl have one); for each source a classifier is trained on \
            all the others (as `train` would, registry keywords included) and routes that source, \
            behind the registry's `router_forms` as routing is (the first lines say which, \
            and how many of the queries have each form). \
            It prints each source's share routed right, then per-class F1 and macro-F1 for the \
            classifier and the keyword router, the classifier at the threshold with the best \
            cross-source macro-F1, and the share of queries sent to a wrong adapter. With \
            --embeddings URL it also measures, on the same folds, a linear head on sentence \
            embeddings from that engine (a llama-server started with --embedding --pooling mean, \
            or Ollama with --embedding-backend ollama), and the hybrid of the head and the \
            classifier (their probabilities averaged).
            """)

    @Argument(help: ArgumentHelp("Labelled queries (JSON Lines), or - for stdin.", valueName: "data"))
    var data: String

    @OptionGroup var routerOptions: RouterOptions

    @Flag(help: "Print one JSON object per router instead of tables.")
    var json = false

    @Flag(help: "Train and test once per source: each source routed by a classifier that never saw it.")
    var leaveOneSourceOut = false

    @Option(help: ArgumentHelp("With --leave-one-source-out, how each fold's classifier reads a query (as `train --reads`).", valueName: "whole|split"))
    var reads = RouterTrainer().reading

    @Option(help: ArgumentHelp("With --leave-one-source-out, each fold's classifier keeps only features seen in at least this many sources (as `train --min-sources`).", valueName: "n"))
    var minSources = RouterTrainer().minSources

    @Option(help: ArgumentHelp("With --leave-one-source-out, also write every query's route, one JSON line per router and query (router, source, query, expected, routed at the threshold, the router's choice before it, confidence, threshold, and a trained router's probability for each candidate as `scores`), to see which queries went where and to choose a threshold off-line.", valueName: "file"))
    var predictions: String?

    @OptionGroup(title: "Embeddings") var embeddingOptions: EmbeddingOptions

    @OptionGroup var registryOptions: RegistryOptions

    func validate() throws {
        if embeddingOptions.embeddings != nil && !leaveOneSourceOut && routerOptions.router.map({ [.embedding, .hybrid].contains($0) }) != true {
            throw ValidationError("--embeddings goes with --leave-one-source-out or --router embedding|hybrid")
        }
        if predictions != nil && !leaveOneSourceOut { throw ValidationError("--predictions goes with --leave-one-source-out") }
        if minSources != RouterTrainer().minSources && !leaveOneSourceOut { throw ValidationError("--min-sources goes with --leave-one-source-out") }
        if minSources < 1 { throw ValidationError("--min-sources must be at least 1") }
    }

    func run() throws {
        do {
            let registry = try registryOptions.load()
            let queries = try LabelledQuery.read(path: data, knownAdapters: Set(registry.names)) { printError("loco-route: \(data): \($0)") }
            guard !queries.isEmpty else { throw ConfigError("\(data) has no labelled queries") }
            if leaveOneSourceOut { return try crossSource(queries, registry: registry) }
            var kinds: [RouterOptions.RouterKind] = routerOptions.router.map { [$0] } ?? [.keyword]
            if routerOptions.router == nil, let url = routerOptions.modelURL(registry: registry), FileManager.default.fileExists(atPath: url.path) {
                kinds.append(.classifier)
            }
            for (index, kind) in kinds.enumerated() {
                var options = routerOptions
                options.router = kind
                let (router, threshold) = try options.make(registry: registry, embeddings: embeddingOptions)
                var evaluation = RouterEvaluation(adapters: registry.names)
                for query in queries {
                    evaluation.add(expected: query.adapter, routed: router.route(query.query).applying(threshold: threshold).adapter)
                }
                if json {
                    print(JSONWriter.string(.object(evaluation.json(router: kind.rawValue, threshold: threshold))))
                } else {
                    if index > 0 { print() }
                    print(evaluation.table(router: kind.rawValue, threshold: threshold), terminator: "")
                }
            }
        } catch let error as ExitCode { throw error } catch { LocoCLI.fail("loco-route eval", error) }
    }

    private func crossSource(_ queries: [LabelledQuery], registry: Registry) throws {
        if let missing = queries.first(where: { $0.source == nil }) {
            throw ConfigError("\(data): line \(missing.line): no 'source': --leave-one-source-out needs the collection each query came from")
        }
        var evaluation = CrossSourceEvaluation(adapters: registry.names)
        evaluation.trainer.reading = reads
        evaluation.trainer.minSources = minSources
        evaluation.seeds = LabelledQuery.keywordSeeds(registry)
        evaluation.forms = try FormRouter.forms(in: registry)
        let line = ProgressLine()
        let classifier = try evaluation.classifierPredictions(queries) { source, done, total in line.show("fold \(done)/\(total): \(source)") }
        line.clear()
        var options = routerOptions
        options.router = .keyword
        let (keywordRouter, keywordThreshold) = try options.make(registry: registry)
        let keyword = CrossSourceEvaluation.predictions(queries, router: keywordRouter)
        let defaultThreshold = routerOptions.threshold ?? RouterOptions.RouterKind.classifier.defaultThreshold
        let embeddingThreshold = routerOptions.threshold ?? RouterOptions.RouterKind.embedding.defaultThreshold
        let sources = CrossSourceEvaluation.sources(queries)
        var runs: [(name: String, predictions: [CrossSourceEvaluation.Prediction], threshold: Double)] = [
            ("classifier", classifier, defaultThreshold), ("keyword", keyword, keywordThreshold),
        ]
        if embeddingOptions.embeddings != nil {
            let engine = embeddingOptions.engine(timeout: max(600, embeddingOptions.embeddingTimeout))
            let vectors = try engine.embedAll(queries.map { EmbeddingRouter.text($0.query) }) { done in line.show("embedded \(done)/\(queries.count)") }
            let dense = evaluation.embeddingPredictions(queries, vectors: vectors, embeddingModel: engine.model ?? EmbeddingEngine.defaultOllamaModel) { source, done, total in
                line.show("embedding fold \(done)/\(total): \(source)")
            }
            line.clear()
            runs += [("embedding", dense, embeddingThreshold), ("hybrid", CrossSourceEvaluation.hybrid(dense, classifier), embeddingThreshold)]
        }
        if let path = predictions {
            try writePredictions(runs, to: path)
        }
        let bestRuns = runs.filter { $0.name != "keyword" }.map { run in (name: run.name, predictions: run.predictions, threshold: evaluation.bestThreshold(run.predictions).threshold) }
        if json {
            for run in runs + bestRuns {
                var object = evaluation.evaluation(run.predictions, threshold: run.threshold).json(router: run.name, threshold: run.threshold)
                object["mode"] = "leave-one-source-out"
                object["sources"] = JSONValue(sources.count)
                object["confidently_wrong"] = JSONValue((CrossSourceEvaluation.confidentlyWrong(run.predictions, threshold: run.threshold) * 10_000).rounded() / 10_000)
                print(JSONWriter.string(.object(object)))
            }
            return
        }
        print("leave-one-source-out: \(sources.count) sources, \(queries.count) queries; each source routed by a classifier trained on all the others")
        for (form, adapter) in evaluation.forms {
            let matched = queries.filter { form.match($0.query) != nil }.count
            print("before it, the registry's forms: \(form.summary) to \(adapter) (\(matched) of the queries have that form)")
        }
        print()
        print(CrossSourceEvaluation.perSourceTable(runs))
        let ranAt = Dictionary(uniqueKeysWithValues: runs.map { ($0.name, $0.threshold) })
        for (index, run) in (runs + bestRuns).enumerated() {
            // A router's best threshold is printed again only when it is not the one it ran at.
            if index >= runs.count && run.threshold == ranAt[run.name] { continue }
            let label = index >= runs.count ? "\(run.name) at the threshold with the best cross-source macro-F1" : run.name
            print(evaluation.evaluation(run.predictions, threshold: run.threshold).table(router: label + " (cross-source)", threshold: run.threshold), terminator: "")
            let wrong = CrossSourceEvaluation.confidentlyWrong(run.predictions, threshold: run.threshold)
            print(String(format: "sent to a wrong adapter: %.1f%% of queries\n", wrong * 100))
        }
    }

    private func writePredictions(_ runs: [(name: String, predictions: [CrossSourceEvaluation.Prediction], threshold: Double)], to path: String) throws {
        var out = ""
        for run in runs {
            for prediction in run.predictions {
                var object: JSONObject = [
                    "router": JSONValue(run.name), "source": JSONValue(prediction.source), "query": JSONValue(prediction.query),
                    "expected": JSONValue(prediction.expected), "routed": JSONValue(prediction.routed(at: run.threshold)),
                    "choice": JSONValue(prediction.routed), "confidence": JSONValue(prediction.confidence),
                    "threshold": JSONValue(run.threshold),
                ]
                if !prediction.scores.isEmpty {
                    object["scores"] = .object(JSONObject(prediction.scores.sorted { $0.key < $1.key }.map { ($0.key, JSONValue(($0.value * 1e6).rounded() / 1e6)) }))
                }
                out += JSONWriter.string(.object(object)) + "\n"
            }
        }
        do { try out.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw ConfigError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
