import ArgumentParser
import Foundation
import LocoCLI
import LocoKit
import LocoRoute

/// Which router to use, shared by routing and `eval`.
struct RouterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("keyword or classifier. [default: classifier when a trained model is found, else keyword]", valueName: "router"))
    var router: RouterKind?

    @Option(help: ArgumentHelp("The classifier's model file. [env: LOCO_ROUTER_MODEL; default: router/model.json beside the registry]", valueName: "file"))
    var model: String?

    @Option(help: ArgumentHelp("Send the query to the base model when the router's confidence is below this (0 to 1). [default: \(RouterKind.keyword.defaultThreshold) for keyword, \(RouterKind.classifier.defaultThreshold) for classifier]", valueName: "x"))
    var threshold: Double?

    enum RouterKind: String, ExpressibleByArgument, CaseIterable {
        case keyword, classifier

        /// Chosen on the training split (see docs/routing.md), never on the held-out queries.
        var defaultThreshold: Double {
            switch self {
            case .keyword: 0.2
            case .classifier: 0.3
            }
        }
    }

    func validate() throws {
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold must be between 0 and 1, got \(threshold)") }
    }

    func modelURL(registry: Registry) -> URL? {
        if let path = model ?? ProcessInfo.processInfo.environment["LOCO_ROUTER_MODEL"] { return URL(fileURLWithPath: path) }
        return registry.location?.deletingLastPathComponent().appendingPathComponent("router/model.json")
    }

    /// The router and its threshold. A model named with --model (or the env var) must load;
    /// the default one is used when present.
    func make(registry: Registry, explains: Bool = false) throws -> (any QueryRouter, Double) {
        let explicitModel = model != nil || ProcessInfo.processInfo.environment["LOCO_ROUTER_MODEL"] != nil
        let url = modelURL(registry: registry)
        let kind = router ?? ((explicitModel || url.map { FileManager.default.fileExists(atPath: $0.path) } == true) ? .classifier : .keyword)
        let chosen: any QueryRouter
        switch kind {
        case .keyword:
            chosen = KeywordRouter(registry: registry)
        case .classifier:
            guard let url else { throw ConfigError("the classifier router needs --model FILE") }
            let model = try RouterModel.load(url)
            let unknown = model.labels.compactMap { $0 }.filter { registry[$0] == nil }
            if !unknown.isEmpty {
                throw ConfigError("router model \(url.path) routes to \(unknown.joined(separator: ", ")), which the registry does not have; retrain it with `loco-route train`")
            }
            chosen = ClassifierRouter(model: model, explains: explains)
        }
        return (chosen, threshold ?? kind.defaultThreshold)
    }
}
