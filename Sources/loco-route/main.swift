import ArgumentParser
import LocoCLI

struct LocoRouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loco-route",
        abstract: "Choose the adapter that should answer each query; train and measure the router.",
        discussion: """
            With no subcommand, routes JSON Lines from stdin to stdout (see `loco-route route --help`). \
            `train` fits the classifier router on labelled queries, `eval` measures any router on \
            them, and `log` shows and corrects what `loco query` has routed.
            """,
        version: LocoCLI.version,
        subcommands: [RouteCommand.self, TrainCommand.self, EvalCommand.self, LogCommand.self],
        defaultSubcommand: RouteCommand.self)
}

LocoCLI.main(LocoRouteCommand.self, example: #"echo '{"query":"What is 15% of 80?"}' | loco-route --explain | jq -c '{adapter, route}'"#)
