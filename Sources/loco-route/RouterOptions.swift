import ArgumentParser
import Foundation
import LocoCLI
import LocoKit
import LocoRoute
import LocoRegistry

/// Which router to use, shared by routing and `eval`.
struct RouterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("keyword, classifier, embedding (a head on sentence embeddings) or hybrid (the head and the classifier averaged). [default: classifier when a trained model is found, else keyword]", valueName: "router"))
    var router: RouterKind?

    @Option(help: ArgumentHelp("The classifier's model file. [env: LOCO_ROUTER_MODEL; default: router/model.json beside the registry]", valueName: "file"))
    var model: String?

    @Option(help: ArgumentHelp("Send the query to the base model when the router's confidence is below this (0 to 1). [default: \(RouterKind.classifier.defaultThreshold) for the classifier, \(RouterKind.keyword.defaultThreshold) for keyword, \(RouterKind.embedding.defaultThreshold) for embedding and hybrid]", valueName: "x"))
    var threshold: Double?

    typealias RouterKind = StandardRouter.Kind

    func validate() throws {
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold must be between 0 and 1, got \(threshold)") }
    }

    func modelURL(registry: Registry) -> URL? {
        StandardRouter.modelURL(registry: registry, explicit: model)
    }

    /// The router and its threshold. A model named with --model (or the env var) must load;
    /// the default one is used when present.
    func make(registry: Registry, explains: Bool = false, loaded: RouterModel? = nil, embeddings: EmbeddingOptions? = nil) throws -> (any QueryRouter, Double) {
        try StandardRouter.make(registry: registry, kind: router, model: model, threshold: threshold, explains: explains, loaded: loaded,
                                head: embeddings?.head, embedder: embeddings?.embedder)
    }
}

extension StandardRouter.Kind: ExpressibleByArgument {}

/// `--reads whole|split`: how the classifier turns a query into features.
extension TextFeatures.Reading: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "whole": self = .whole
        case "split": self = .requestAndPayload
        default: return nil
        }
    }

    public static var allValueStrings: [String] { ["whole", "split"] }
    public var defaultValueDescription: String { self == .whole ? "whole" : "split" }
}
