import ArgumentParser
import Foundation
import LocoCLI
import LocoEngines
import LocoKit
import LocoRoute

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the classifier router on labelled queries.",
        discussion: """
            DATA is JSON Lines with `query` and `adapter` (a registry name; null or absent for \
            the base model), `-` for stdin. Bad lines are reported (line and field) and skipped. \
            The model is multinomial logistic regression over word 1-2-grams and character \
            3-5-grams, seeded, so the same data gives the same file. --test scores the new model \
            on held-out queries and records the figures inside it.

            --from-log adds what the routing log has learned from use: every query whose route \
            the user corrected (`loco-route log correct`) or chose (`--adapter`), with the \
            user's label. Routes nobody objected to are left out: training on the router's own \
            guesses would only repeat them.

            --embeddings URL also fits the embedding router's head on the same queries (keyword \
            seeds aside): each query's sentence embedding from that engine, 32 per request, \
            then a class-weighted logistic regression. It is written to --head, default \
            embedding-head.json beside the model, and names the embedding model it was fitted \
            on; it routes only with that model's vectors.
            """)

    @Argument(help: ArgumentHelp("Labelled queries (JSON Lines), or - for stdin.", valueName: "data"))
    var data: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where to write the model.", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("Held-out labelled queries to score the model on (never trained on).", valueName: "file"))
    var test: String?

    @Flag(help: "Also train on the routing log's corrected and user-chosen queries.")
    var fromLog = false

    @Flag(inversion: .prefixedNo, help: "Add each registry router keyword as a one-phrase training query for its adapter.")
    var keywords = true

    @Option(help: "Passes over the training data.")
    var epochs = 30

    @Option(help: "Seed for the shuffling order.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Keep only features seen in at least this many training queries.", valueName: "n"))
    var minCount = RouterTrainer().minDocumentFrequency

    @Option(help: ArgumentHelp("Keep only features seen in at least this many sources (the data's `source` field; the registry keywords count as one): a word only one source uses is its template, not its meaning. A feature that a query without a source uses is always kept.", valueName: "n"))
    var minSources = RouterTrainer().minSources

    @Option(help: ArgumentHelp("Drop features whose weights are all smaller than this (a smaller file).", valueName: "x"))
    var pruneBelow = RouterTrainer().pruneBelow

    @Option(help: ArgumentHelp("How a query becomes features: split reads the request a user wrote apart from what it carries (a quoted sentence, a code block, numbers after a colon), whole reads it as one text.", valueName: "whole|split"))
    var reads = RouterTrainer().reading

    @OptionGroup(title: "Embeddings") var embeddingOptions: EmbeddingOptions

    @OptionGroup var registryOptions: RegistryOptions

    func validate() throws {
        if data == nil && !fromLog { throw ValidationError("give a DATA file, --from-log, or both") }
        if epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if minSources < 1 { throw ValidationError("--min-sources must be at least 1") }
    }

    func run() throws {
        do {
            let registry = try registryOptions.load()
            let known = Set(registry.names)
            var examples: [LabelledQuery] = []
            var sources: [JSONValue] = []
            if let data {
                let (queries, source) = try readLabelled(data, known: known)
                examples += queries
                sources.append(.object(source))
            }
            if fromLog {
                let log = try RoutingLog(url: RoutingLog.defaultURL())
                let labelled = try log.entries().compactMap { entry -> LabelledQuery? in
                    guard let label = entry.label else { return nil }
                    if let adapter = label, !known.contains(adapter) {
                        printError("loco-route: routing log entry \(entry.id): unknown adapter '\(adapter)', skipped")
                        return nil
                    }
                    return LabelledQuery(line: entry.id, query: entry.query, adapter: label)
                }
                examples += labelled
                sources.append(["file": .string(log.url.lastPathComponent), "queries": JSONValue(labelled.count), "kind": "routing log"])
                printError("loco-route: \(labelled.count) labelled queries from the routing log \(log.url.path)")
            }
            let labelled = examples
            if keywords {
                let seeds = LabelledQuery.keywordSeeds(registry)
                examples += seeds
                sources.append(["file": "registry router_keywords", "queries": JSONValue(seeds.count)])
            }
            guard !examples.isEmpty else { throw ConfigError("no labelled queries to train on") }

            var trainer = RouterTrainer()
            trainer.epochs = epochs
            trainer.seed = seed
            trainer.minDocumentFrequency = minCount
            trainer.minSources = minSources
            trainer.pruneBelow = pruneBelow
            trainer.reading = reads
            let started = Date()
            let line = ProgressLine()
            var (model, report) = try trainer.train(examples, adapters: registry.names) { epoch, loss in
                line.show("epoch \(epoch)/\(epochs)  loss \(String(format: "%.4f", loss))")
            }
            line.clear()
            model.training["data"] = .array(sources)
            model.training["seconds"] = JSONValue((Date().timeIntervalSince(started) * 10).rounded() / 10)
            model.training["loss_by_epoch"] = .array(report.lossByEpoch.map { JSONValue(($0 * 10_000).rounded() / 10_000) })

            var summary = "trained on \(report.examples) queries, \(model.labels.count) labels, \(report.kept) of \(report.vocabulary) features kept, final loss \(String(format: "%.4f", report.finalLoss))"
            if let test {
                let (queries, source) = try readLabelled(test, known: known)
                var evaluation = RouterEvaluation(adapters: registry.names)
                let router = ClassifierRouter(model: model)
                let threshold = RouterOptions.RouterKind.classifier.defaultThreshold
                for query in queries { evaluation.add(expected: query.adapter, routed: router.route(query.query).applying(threshold: threshold).adapter) }
                var heldOut = evaluation.json(router: "classifier", threshold: threshold)
                heldOut["file"] = source["file"]
                model.training["held_out"] = .object(heldOut)
                summary += "; held out: accuracy \(String(format: "%.3f", evaluation.accuracy)), macro-F1 \(String(format: "%.3f", evaluation.macroF1)) on \(evaluation.total) queries"
            }
            let text = model.serialized()
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            printError("loco-route: \(summary) -> \(output) (\(text.utf8.count / 1024) KiB)")
            if embeddingOptions.embeddings != nil { try fitHead(labelled, adapters: registry.names) }
        } catch let error as ExitCode { throw error } catch { LocoCLI.fail("loco-route train", error) }
    }

    /// The embedding router's head, on the labelled queries' embeddings.
    private func fitHead(_ queries: [LabelledQuery], adapters: [String]) throws {
        let engine = embeddingOptions.engine(timeout: max(600, embeddingOptions.embeddingTimeout))
        let started = Date()
        let line = ProgressLine()
        let vectors = try engine.embedAll(queries.map { EmbeddingRouter.text($0.query) }) { done in line.show("embedded \(done)/\(queries.count)") }
        line.clear()
        let model = engine.model ?? EmbeddingEngine.defaultOllamaModel
        let head = EmbeddingHead.fit(vectors: vectors, labels: queries.map { $0.adapter ?? baseCandidate }, classes: adapters + [baseCandidate], embeddingModel: model)
        let path = embeddingOptions.head ?? URL(fileURLWithPath: output).deletingLastPathComponent().appendingPathComponent("embedding-head.json").path
        let text = try head.serialized()
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        printError("loco-route: embedding head fitted on \(queries.count) queries' \(head.dimensions)-dimensional embeddings from \(engine.name) in \(Int(Date().timeIntervalSince(started))) s -> \(path) (\(text.utf8.count / 1024) KiB)")
    }

    private func readLabelled(_ path: String, known: Set<String>) throws -> ([LabelledQuery], JSONObject) {
        let queries = try LabelledQuery.read(path: path, knownAdapters: known) { printError("loco-route: \(path): \($0)") }
        let name = path == "-" ? "stdin" : URL(fileURLWithPath: path).lastPathComponent
        return (queries, ["file": .string(name), "queries": JSONValue(queries.count)])
    }
}
