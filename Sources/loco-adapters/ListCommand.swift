import ArgumentParser
import LocoAdapters
import LocoCLI
import LocoEngines
import LocoKit

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "One line per adapter: weights, installed or not, and its measured score against the base.",
        discussion: """
            An adapter whose LoRA was trained for another base than the engine's model (Ollama \
            with, say, qwen3:4b) is marked: it does not apply there, the router sends its \
            queries to the base model, and loco-gen refuses records that ask for it.
            """)

    @Flag(help: "One JSON object per adapter instead of a table.")
    var json = false

    @Flag(help: "Only the names, one per line (for scripts and tab completion).")
    var names = false

    @OptionGroup var registryOptions: RegistryOptions
    @OptionGroup var engine: EngineOptions

    func run() throws {
        if names {
            do { for name in try registryOptions.load().names { print(name) } } catch { LocoCLI.fail("loco-adapters", error) }
            return
        }
        let context = AdapterContext.load(registryOptions)
        let unusable = (try? engine.settings()).map { Engines(settings: $0).unusableAdapters(context.store.registry) } ?? [:]
        for name in context.store.registry.names {
            let entry = context.store.registry[name]!
            let installed = context.installed.adapters[name] != nil
            if json {
                let object: JSONObject = [
                    "name": .string(name), "version": .string(entry.version), "description": .string(entry.description),
                    "weights": entry.weights.map { .string($0) } ?? .null, "weights_bytes": entry.weightsBytes.map { JSONValue($0) } ?? .null,
                    "installed": .bool(installed), "benchmark_score": entry.benchmarkScore.map { JSONValue($0) } ?? .null,
                    "base_model_score": entry.baseModelScore.map { JSONValue($0) } ?? .null,
                    "base_model": .string(entry.baseModel), "applies": .bool(unusable[name] == nil), "why_not": JSONValue(unusable[name]),
                ]
                print(JSONWriter.string(.object(object)))
                continue
            }
            let weights = entry.weightsBytes.map { String(format: "LoRA %.1f MB", Double($0) / 1_000_000) } ?? (entry.hasWeights ? "LoRA" : "no weights yet")
            let score = entry.benchmarkScore.map { s in entry.baseModelScore.map { String(format: "%.2f vs base %.2f", s, $0) } ?? String(format: "%.2f", s) } ?? "not measured"
            let state = installed ? "installed" : (entry.hasWeights ? "not installed" : "-")
            print(name.padding(toLength: 18, withPad: " ", startingAt: 0) + " " + entry.version.padding(toLength: 7, withPad: " ", startingAt: 0)
                  + " " + weights.padding(toLength: 15, withPad: " ", startingAt: 0) + " " + state.padding(toLength: 14, withPad: " ", startingAt: 0)
                  + " " + score + (unusable[name] != nil ? "  (does not apply to the engine's model: trained for \(entry.baseModel))" : ""))
        }
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "An adapter's registry entry, its files, and whether its weights check out.")

    @Argument(help: "The adapter's name.")
    var name: String

    @OptionGroup var registryOptions: RegistryOptions

    func run() throws {
        let context = AdapterContext.load(registryOptions)
        let store = context.store
        let entry: AdapterEntry
        do { entry = try store.entry(name) } catch { LocoCLI.fail("loco-adapters", error) }
        print("\(name) \(entry.version): \(entry.description)")
        print("  base model     \(entry.baseModel) \(entry.quantization), LoRA rank \(entry.loraRank)")
        print("  folder         \(store.folder(name).path)")
        print("  weights        " + (context.installed.adapters[name] != nil ? "installed; " : "") + (try store.verify(name)).description)
        if let bench = entry.benchmark {
            print("  benchmark      \(bench) (\(entry.benchmarkMetric ?? "?")), sha256 \(entry.benchmarkSHA256?.prefix(12) ?? "none")…")
        }
        if let score = entry.benchmarkScore, let base = entry.baseModelScore {
            print("  measured       \(score) vs base \(base) (\(entry.improvement ?? "")), from eval/results.json")
        } else {
            print("  measured       not yet (loco eval \(name))")
        }
        for part in ["adapter_config.json", "training/dataset.jsonl", "training/train_config.yaml", "training/TRAINING_LOG.md", "eval/results.json"] {
            let exists = FileManager.default.fileExists(atPath: store.folder(name).appendingPathComponent(part).path)
            print("  " + part.padding(toLength: 27, withPad: " ", startingAt: 0) + (exists ? "present" : "missing"))
        }
    }
}

import Foundation
import LocoRegistry
