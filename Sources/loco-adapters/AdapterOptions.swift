import ArgumentParser
import Foundation
import LocoAdapters
import LocoCLI
import LocoKit

/// The registry, its adapter folders, and the installed set, as every subcommand needs them.
struct AdapterContext {
    var store: AdapterStore
    var installed: InstalledAdapters

    static func load(_ options: RegistryOptions) -> AdapterContext {
        do {
            let store = try AdapterStore(registry: options.load())
            return AdapterContext(store: store, installed: try InstalledAdapters.load())
        } catch {
            LocoCLI.fail("loco-adapters", error)
        }
    }

    /// The named adapters, every one of them known to the registry.
    func names(_ given: [String], all: Bool, withWeightsOnly: Bool = false) -> [String] {
        let names = all || given.isEmpty ? store.registry.names.filter { !withWeightsOnly || store.registry[$0]?.hasWeights == true } : given
        for name in names where store.registry[name] == nil {
            LocoCLI.fail("loco-adapters", ConfigError("no adapter '\(name)' in \(store.registry.location?.path ?? "the registry"); known: \(store.registry.names.joined(separator: ", "))"))
        }
        return names
    }
}
