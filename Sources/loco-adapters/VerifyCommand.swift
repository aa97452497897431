import ArgumentParser
import LocoAdapters
import LocoCLI
import LocoKit

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check each adapter's weights against the sha256 and size in the registry.",
        discussion: "Exit status: 0 when every named adapter with weights checks out, 1 when any file is missing, damaged or unrecorded.")

    @Argument(help: "Adapters to check (default: all).")
    var names: [String] = []

    @OptionGroup var registryOptions: RegistryOptions

    func run() throws {
        let context = AdapterContext.load(registryOptions)
        var failed = false
        for name in context.names(names, all: false) {
            let result: Verification
            do { result = try context.store.verify(name) } catch { LocoCLI.fail("loco-adapters", error) }
            if result.status != .noWeights && !result.isUsable { failed = true }
            print(result.description)
        }
        if failed { throw ExitCode(1) }
    }
}

/// The weights the embedded llama-server should load: installed adapters whose files check out.
struct PathsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paths",
        abstract: "Print the weights file of each installed adapter that checks out, one per line (what `loco engine start` passes to llama-server's --lora).")

    @OptionGroup var registryOptions: RegistryOptions

    func run() throws {
        let context = AdapterContext.load(registryOptions)
        for name in context.installed.adapters.keys.sorted() {
            guard context.store.registry[name] != nil else {
                printError("loco-adapters: \(name) is installed but no longer in the registry; skipped (loco adapters remove \(name))")
                continue
            }
            let result = try context.store.verify(name)
            guard case .ok(let path, _, _) = result.status else {
                printError("loco-adapters: skipped: \(result)")
                continue
            }
            print(path)
        }
    }
}

struct EngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Print the engine the tools would talk to: its backend and URL, from the flags, LOCO_BACKEND / LOCO_URL / OLLAMA_HOST and the config file, as every tool reads them (what `loco` checks before it starts anything).")

    @OptionGroup var engine: EngineOptions

    func run() throws {
        do {
            let settings = try engine.settings()
            print("\(settings.backend.rawValue) \(settings.url)")
        } catch {
            LocoCLI.fail("loco-adapters", error)
        }
    }
}
