import ArgumentParser
import LocoCLI
import LocoKit
import LocoRoute

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Route each record on stdin (the default subcommand).",
        discussion: """
            Reads JSON Lines on stdin, one record per line with a `query`, and writes each record \
            with `adapter` (a registry name, or null for the base model) and `route` \
            {router, scores, confidence, fallback?}. A record's own `adapter` field (even null) \
            is kept; --adapter overrides the router for every record.

            Before any router reads the words, a query of a form an adapter claims in the \
            registry (`router_forms`) goes to that adapter: an equation in one unknown ("solve \
            8x + 4x = 12 for x", "What is x if −10 − 5x = 2(5x - 20)?") to math-reasoning. \
            `route.router` is then `form`, confidence 1, and `route.note` shows the equation read.

            The classifier router (default when adapters/router/model.json exists) scores each \
            adapter and the base model with a trained linear model; `scores` are probabilities. \
            The keyword router adds the weights of the registry's `router_keywords` found as \
            whole words or phrases ("sum" does not fire on "summarize"); `scores` are the sums. \
            Either way confidence is the winner's lead over the runner-up (0 to 1); below \
            --threshold the query goes to the base model and `route.fallback` says why. A tie \
            between the leaders always goes to the base model.

            The embedding router (--router embedding) sends the query's sentence embedding \
            (from --embeddings: an embedding llama-server, or Ollama's all-minilm) through a \
            linear head (router/embedding-head.json, fitted by `train --embeddings`); the hybrid \
            router averages the head's probabilities with the classifier's. Neither is the \
            default: across sources they measured below the classifier (docs/routing.md). When \
            the embedding engine does not answer, the classifier routes, `route.router` says \
            `classifier` and `route.note` says why; no record fails for want of it.

            --explain adds `route.explain`: the keywords that fired, or the features that \
            pushed the winner most, each with its weight; with a classifier trained \
            `--reads split`, also `route.split`: the request told apart from what it carries \
            (a quoted sentence, a code block, numbers after a colon) and the payload's kind.

            --log appends each routed query to the local routing log (see `loco-route log \
            --help`); LOCO_NO_LOG=1 turns that off.

            \(LocoCLI.exitCodesHelp)
            """)

    @Option(help: ArgumentHelp("Send every query to this adapter (or 'none' for the base model), overriding the router.", valueName: "name"))
    var adapter: String?

    @OptionGroup var routerOptions: RouterOptions

    @OptionGroup(title: "Embeddings (--router embedding|hybrid)") var embeddingOptions: EmbeddingOptions

    @Flag(help: "Add route.explain: what fired and with what weight.")
    var explain = false

    @Flag(help: "Append each routed query to the routing log (unless LOCO_NO_LOG=1).")
    var log = false

    @OptionGroup var registryOptions: RegistryOptions

    func run() throws {
        var stage: RouteStage
        do {
            // --adapter decides every record: no model to read for a router that is never asked.
            let routes = adapter == nil
            let (registry, model) = try StandardRouter.load(registry: registryOptions.registry, model: routerOptions.model,
                                                            needsModel: routes && routerOptions.router != .keyword)
            let (router, threshold) = routes ? try routerOptions.make(registry: registry, explains: explain, loaded: model, embeddings: embeddingOptions) : (KeywordRouter(registry: registry), 0)
            stage = try RouteStage(registry: registry, router: router, forcedAdapter: adapter, threshold: threshold, explain: explain)
            if log, let routingLog = try RoutingLog.openUnlessDisabled() {
                stage.onRoute = { query, adapter, route in try routingLog.append(query: query, adapter: adapter, route: route) }
            }
        } catch { LocoCLI.fail("loco-route", error) }
        throw ExitCode(LocoCLI.run(&stage).exitCode)
    }
}
