import ArgumentParser
import Foundation
import LocoAdapters
import LocoCLI
import LocoKit
import LocoEngines
import LocoRegistry

struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Check adapters' weights and register them with the engine.",
        discussion: """
            A file whose sha256 or size differs from the registry's is refused. With llama-server, \
            the adapter is added to the set the embedded server loads at start (`loco adapters \
            install` restarts it). With Ollama, the GGUF LoRA is uploaded as a blob and \
            `locollm-NAME` is created from the base model; an Ollama that refuses adapters gets a \
            merged model (llama.cpp's llama-export-lora) instead, and you are told.
            """)

    @Argument(help: "Adapters to install.")
    var names: [String] = []

    @Flag(help: "Install every adapter that has weights.")
    var all = false

    @OptionGroup var engine: EngineOptions
    @OptionGroup var registryOptions: RegistryOptions

    func validate() throws {
        if names.isEmpty && !all { throw ValidationError("name the adapters to install, or give --all") }
    }

    func run() throws {
        var context = AdapterContext.load(registryOptions)
        let settings: EngineSettings
        do { settings = try engine.settings() } catch { LocoCLI.fail("loco-adapters", error) }
        var failed = false
        for name in context.names(names, all: all, withWeightsOnly: true) {
            do {
                let result = try context.store.verify(name)
                guard case .ok(let path, _, let sha256) = result.status else { throw ConfigError(result.description) }
                var registeredWith: String
                switch settings.backend {
                case .ollama:
                    let model = settings.model ?? EngineSettings.defaultOllamaModel
                    if let entry = context.store.registry[name], let why = BaseModelName.mismatch(adapterBase: entry.baseModel, engineModel: model) {
                        throw ConfigError("not installed: \(why); a LoRA only works with the base it was trained for")
                    }
                    var installer = OllamaAdapterInstaller(baseURL: settings.url, baseModel: settings.model ?? EngineSettings.defaultOllamaModel)
                    installer.log = { printError("loco-adapters: \(name): \($0)") }
                    if let merger = LoRAMerger.located() {
                        installer.merge = { lora in
                            try merger.merge(lora, into: FileManager.default.temporaryDirectory.appendingPathComponent("locollm-\(name)-merged.gguf"))
                        }
                    }
                    let how = try installer.install(adapter: name, weights: URL(fileURLWithPath: path), sha256: sha256)
                    registeredWith = "ollama \(settings.url) as \(Registry.ollamaModel(for: name))" + (how == "merged" ? " (merged model)" : "")
                case .llamaServer:
                    registeredWith = "llama-server"
                case .openai:
                    throw ConfigError("an OpenAI-compatible server loads adapters itself (vLLM: --lora-modules \(name)=\(path)); put the name it serves in the registry's served_model (docs/scaling.md)")
                }
                var entry = context.installed.adapters[name] ?? InstalledAdapters.Entry(sha256: sha256, engines: [])
                entry.sha256 = sha256
                if !entry.engines.contains(registeredWith) { entry.engines.append(registeredWith) }
                context.installed.adapters[name] = entry
                print("installed \(name) (\(registeredWith))")
            } catch {
                printError("loco-adapters: \(name): \(error)")
                failed = true
            }
        }
        do { try context.installed.save() } catch { LocoCLI.fail("loco-adapters", error) }
        if failed { throw ExitCode(1) }
    }
}

struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Unregister adapters from the engine (the files in adapters/ stay: they are the project's).")

    @Argument(help: "Adapters to remove.")
    var names: [String]

    @OptionGroup var engine: EngineOptions
    @OptionGroup var registryOptions: RegistryOptions

    func run() throws {
        var context = AdapterContext.load(registryOptions)
        let settings: EngineSettings
        do { settings = try engine.settings() } catch { LocoCLI.fail("loco-adapters", error) }
        for name in names {
            guard context.installed.adapters.removeValue(forKey: name) != nil else {
                printError("loco-adapters: \(name) is not installed")
                continue
            }
            if settings.backend == .ollama {
                do { try OllamaAdapterInstaller(baseURL: settings.url, baseModel: settings.model ?? "").remove(adapter: name) } catch {
                    printError("loco-adapters: \(name): \(error)")
                }
            }
            print("removed \(name)")
        }
        do { try context.installed.save() } catch { LocoCLI.fail("loco-adapters", error) }
    }
}
