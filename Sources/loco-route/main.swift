import ArgumentParser
import LocoCLI
import LocoKit
import LocoRoute

struct LocoRouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loco-route",
        abstract: "Choose the adapter that should answer each query.",
        discussion: """
            Reads JSON Lines on stdin, one record per line with a `query`, and writes each record
            with `adapter` (a registry name, or null for the base model) and `route`
            {router, scores, confidence}. The keyword router adds the weights of the registry's
            `router_keywords` found as whole words; the best total wins; no hit, or a tie between
            the leaders, means the base model. A record's own `adapter` field (even null) is kept.

            \(LocoCLI.exitCodesHelp)
            """,
        version: LocoCLI.version)

    @Option(help: ArgumentHelp("Send every query to this adapter (or 'none' for the base model), overriding the router.", valueName: "name"))
    var adapter: String?

    @OptionGroup var registryOptions: RegistryOptions

    func run() throws {
        var stage: RouteStage
        do { stage = try RouteStage(registry: registryOptions.load(), forcedAdapter: adapter) } catch { LocoCLI.fail("loco-route", error) }
        throw ExitCode(LocoCLI.run(&stage).exitCode)
    }
}

LocoCLI.main(LocoRouteCommand.self, example: #"echo '{"query":"What is 15% of 80?"}' | loco-route | jq .adapter"#)
