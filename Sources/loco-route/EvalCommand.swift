import ArgumentParser
import Foundation
import LocoCLI
import LocoKit
import LocoRoute

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure routers on labelled queries: accuracy, macro-F1, confusion matrix.",
        discussion: """
            DATA is JSON Lines with `query` and `adapter` (null or absent: the base model), as \
            for `train`. Without --router, every router available is measured on the same \
            queries (keyword, and classifier when a model is found), so they can be compared. \
            Each query is routed exactly as `loco-route` would, threshold included.
            """)

    @Argument(help: ArgumentHelp("Labelled queries (JSON Lines), or - for stdin.", valueName: "data"))
    var data: String

    @OptionGroup var routerOptions: RouterOptions

    @Flag(help: "Print one JSON object per router instead of tables.")
    var json = false

    @OptionGroup var registryOptions: RegistryOptions

    func run() throws {
        do {
            let registry = try registryOptions.load()
            let queries = try LabelledQuery.read(path: data, knownAdapters: Set(registry.names)) { printError("loco-route: \(data): \($0)") }
            guard !queries.isEmpty else { throw ConfigError("\(data) has no labelled queries") }
            var kinds: [RouterOptions.RouterKind] = routerOptions.router.map { [$0] } ?? [.keyword]
            if routerOptions.router == nil, let url = routerOptions.modelURL(registry: registry), FileManager.default.fileExists(atPath: url.path) {
                kinds.append(.classifier)
            }
            for (index, kind) in kinds.enumerated() {
                var options = routerOptions
                options.router = kind
                let (router, threshold) = try options.make(registry: registry)
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
}
