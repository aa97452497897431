import ArgumentParser
import LocoCLI

struct LocoAdaptersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loco-adapters",
        abstract: "List, check, install and remove LoRA adapters.",
        discussion: """
            An adapter is a folder under adapters/ named in adapters/registry.yaml, holding its GGUF \
            LoRA (`weights`, with its sha256 and size in the registry), training/ and eval/. \
            Installing checks the weights and registers them with the engine: the embedded \
            llama-server loads every installed adapter once at start and applies one per request \
            (switching adapters never restarts it); Ollama gets a model `locollm-NAME` made from \
            the base and the adapter. `loco adapters ...` runs this tool and restarts the embedded \
            engine when the installed set changes. See docs/adapters.md.
            """,
        version: LocoCLI.version,
        subcommands: [ListCommand.self, ShowCommand.self, VerifyCommand.self, InstallCommand.self, RemoveCommand.self, PathsCommand.self, EngineCommand.self],
        defaultSubcommand: ListCommand.self)
}

LocoCLI.main(LocoAdaptersCommand.self, example: "loco-adapters verify sentiment && loco-adapters install sentiment")
