import Foundation
import LocoKit

/// One adapter's entry in `adapters/registry.yaml`, in the seed's schema plus what the stages need.
public struct AdapterEntry: Codable, Equatable, Sendable {
    public var version: String
    public var baseModel: String
    public var quantization: String
    public var loraRank: Int
    public var created: String
    public var authors: [String]
    public var benchmarkScore: Double?
    public var baseModelScore: Double?
    public var improvement: String?
    public var description: String
    public var tags: [String]
    public var sizeMB: Double?
    /// Words and phrases that send a query here, with an optional weight each (default 1).
    public var routerKeywords: [String: Double]
    /// Forms of query that come here whatever their words say (`equation`): read from the text's
    /// shape by the router (LocoRoute's `QueryForm`), before any router's own reading.
    public var routerForms: [String]?
    public var systemPrompt: String
    /// How `loco-vote` reads a final answer from a sample: `number` or `text`.
    public var answerFormat: String?
    /// For `answer_format: label`: the labels an answer is read as, when a record brings none.
    public var labels: [String]?
    /// The LoRA weights, relative to the adapter's folder; null until the adapter is trained.
    public var weights: String?
    /// The weights file's sha256 and size in bytes, checked before an engine loads it.
    public var weightsSHA256: String?
    public var weightsBytes: Int?
    /// The model name an engine that serves adapters as models knows this one by (vLLM's
    /// `--lora-modules NAME=PATH`); `loco-gen --backend openai` asks for it.
    public var servedModel: String?
    /// The held-out benchmark inside the adapter's folder, its sha256, and its loco-score metric.
    public var benchmark: String?
    public var benchmarkSHA256: String?
    public var benchmarkMetric: String?
    /// Further benchmarks of the same domain (a harder tier, a second task): measured beside the
    /// gated one, and the adapter may lose at most 5 points on each.
    public var moreBenchmarks: [BenchmarkFile]?
    /// Where the training data and the gate's benchmark come from, by source: disjoint, so that the
    /// gate measures what users bring rather than the training set's own shape.
    public var trainingSources: [String]?
    public var gateSources: [String]?

    enum CodingKeys: String, CodingKey {
        case version, quantization, created, authors, improvement, description, tags, weights, labels
        case baseModel = "base_model"
        case loraRank = "lora_rank"
        case benchmarkScore = "benchmark_score"
        case baseModelScore = "base_model_score"
        case sizeMB = "size_mb"
        case routerKeywords = "router_keywords"
        case routerForms = "router_forms"
        case systemPrompt = "system_prompt"
        case answerFormat = "answer_format"
        case servedModel = "served_model"
        case weightsSHA256 = "weights_sha256"
        case weightsBytes = "weights_bytes"
        case benchmark
        case benchmarkSHA256 = "benchmark_sha256"
        case benchmarkMetric = "benchmark_metric"
        case moreBenchmarks = "more_benchmarks"
        case trainingSources = "training_sources"
        case gateSources = "gate_sources"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(String.self, forKey: .version)
        baseModel = try c.decode(String.self, forKey: .baseModel)
        quantization = try c.decode(String.self, forKey: .quantization)
        loraRank = try c.decode(Int.self, forKey: .loraRank)
        created = try c.decode(String.self, forKey: .created)
        authors = try c.decode([String].self, forKey: .authors)
        benchmarkScore = try c.decodeIfPresent(Double.self, forKey: .benchmarkScore)
        baseModelScore = try c.decodeIfPresent(Double.self, forKey: .baseModelScore)
        improvement = try c.decodeIfPresent(String.self, forKey: .improvement)
        description = try c.decode(String.self, forKey: .description)
        tags = try c.decode([String].self, forKey: .tags)
        sizeMB = try c.decodeIfPresent(Double.self, forKey: .sizeMB)
        // Keywords may be a plain list (weight 1 each) or a map of keyword to weight.
        if let list = try? c.decode([String].self, forKey: .routerKeywords) {
            routerKeywords = Dictionary(list.map { ($0, 1.0) }, uniquingKeysWith: max)
        } else {
            routerKeywords = try c.decode([String: Double].self, forKey: .routerKeywords)
        }
        routerForms = try c.decodeIfPresent([String].self, forKey: .routerForms)
        systemPrompt = try c.decode(String.self, forKey: .systemPrompt)
        answerFormat = try c.decodeIfPresent(String.self, forKey: .answerFormat)
        labels = try c.decodeIfPresent([String].self, forKey: .labels)
        weights = try c.decodeIfPresent(String.self, forKey: .weights)
        servedModel = try c.decodeIfPresent(String.self, forKey: .servedModel)
        weightsSHA256 = try c.decodeIfPresent(String.self, forKey: .weightsSHA256)
        weightsBytes = try c.decodeIfPresent(Int.self, forKey: .weightsBytes)
        benchmark = try c.decodeIfPresent(String.self, forKey: .benchmark)
        benchmarkSHA256 = try c.decodeIfPresent(String.self, forKey: .benchmarkSHA256)
        benchmarkMetric = try c.decodeIfPresent(String.self, forKey: .benchmarkMetric)
        moreBenchmarks = try c.decodeIfPresent([BenchmarkFile].self, forKey: .moreBenchmarks)
        trainingSources = try c.decodeIfPresent([String].self, forKey: .trainingSources)
        gateSources = try c.decodeIfPresent([String].self, forKey: .gateSources)
    }

    public var hasWeights: Bool { weights != nil }
}

/// A registry entry's further benchmark: `{name, file, sha256, metric}`.
public struct BenchmarkFile: Codable, Equatable, Sendable {
    /// What it measures, in a word or two ("GSM8K", "proofreading"): its passes' files are named after it.
    public var name: String
    public var file: String
    public var sha256: String
    public var metric: String
}

/// `adapters/registry.yaml`: the adapters LocoLLM knows, by name.
public struct Registry: Equatable, Sendable {
    public var adapters: [String: AdapterEntry]
    /// Where the file was read from; adapter folders sit beside it.
    public var location: URL?

    public var names: [String] { adapters.keys.sorted() }

    public init(adapters: [String: AdapterEntry], location: URL? = nil) {
        self.adapters = adapters
        self.location = location
    }

    public subscript(name: String) -> AdapterEntry? { adapters[name] }

    /// The model an adapter becomes in Ollama (one adapter per model there).
    public static func ollamaModel(for adapter: String) -> String { "locollm-\(adapter)" }

    /// `adapters/<name>/`, beside the registry file.
    public func folder(of name: String) -> URL? {
        location?.deletingLastPathComponent().appendingPathComponent(name, isDirectory: true)
    }

    /// The adapter's weights file, when it has one (validated to stay inside its folder).
    public func weightsURL(of name: String) -> URL? {
        guard let weights = adapters[name]?.weights, let folder = folder(of: name) else { return nil }
        return folder.appendingPathComponent(weights)
    }

    private struct File: Decodable {
        var adapters: [String: AdapterEntry]
    }

    /// Registries are small; anything this large is a mistake or an attack.
    public static let maxBytes = 1 << 20

    public static func parse(_ yaml: String, location: URL? = nil) throws -> Registry {
        let what = "registry" + (location.map { " \($0.path)" } ?? "")
        let file = try SafeYAML.decode(File.self, from: yaml, what: what, maxBytes: maxBytes)
        for (name, entry) in file.adapters {
            try validate(name: name, entry: entry, what: what)
        }
        return Registry(adapters: file.adapters, location: location)
    }

    /// Adapter names become folder names and weights are paths inside them: neither may point
    /// outside `adapters/<name>/`.
    static func validate(name: String, entry: AdapterEntry, what: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ allowed.contains($0) }), !name.hasPrefix(".") else {
            throw ConfigError("\(what): adapter name '\(name)' must be 1-64 characters of a-z, 0-9, '-', '_' or '.', not starting with '.'")
        }
        let more = (entry.moreBenchmarks ?? []).map { ("more_benchmarks \($0.name)", Optional($0.file)) }
        for more in entry.moreBenchmarks ?? [] where more.name.isEmpty || !more.name.allSatisfy({ allowed.contains($0) }) {
            throw ConfigError("\(what): adapter '\(name)': more_benchmarks name '\(more.name)' must be a-z, 0-9, '-', '_' or '.'")
        }
        for (field, path) in [("weights", entry.weights), ("benchmark", entry.benchmark)] + more {
            guard let path else { continue }
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            if path.isEmpty || path.hasPrefix("/") || path.hasPrefix("~") || parts.contains("..") || parts.contains("") {
                throw ConfigError("\(what): adapter '\(name)': \(field) path '\(path)' must stay inside adapters/\(name)/")
            }
        }
    }

    /// Reads and checks the registry; `cacheDirectory` keeps a decoded copy (see RegistryCache).
    public static func load(_ url: URL, cacheDirectory: URL? = locoCacheDirectory()) throws -> Registry {
        guard let text = try SafeYAML.read(url, what: "registry \(url.path)", maxBytes: maxBytes) else {
            throw ConfigError("cannot read registry \(url.path): no such file")
        }
        let cache = cacheDirectory.map(RegistryCache.init)
        if let adapters = cache?.adapters(yaml: text),
           (try? adapters.forEach { try validate(name: $0.key, entry: $0.value, what: "registry") }) != nil {
            return Registry(adapters: adapters, location: url)
        }
        let registry = try parse(text, location: url)
        cache?.store(registry.adapters, yaml: text)
        return registry
    }

    /// The registry to use: `explicit`, else `$LOCO_REGISTRY`, else `adapters/registry.yaml` in
    /// `$LOCO_HOME`, the working directory, or the checkout that holds the running executable.
    public static func locate(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let path = explicit ?? environment["LOCO_REGISTRY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var candidates: [URL] = []
        if let home = environment["LOCO_HOME"], !home.isEmpty { candidates.append(URL(fileURLWithPath: home)) }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        // The running executable, wherever PATH found it: .build/<triple>/release/ in a checkout.
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = (FileManager.default.fileExists(atPath: executable.path) ? executable : Bundle.main.executableURL ?? executable)
            .deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir)
            dir = dir.deletingLastPathComponent()
        }
        for base in candidates {
            let url = base.appendingPathComponent("adapters/registry.yaml")
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw ConfigError("cannot find adapters/registry.yaml: pass --registry FILE or set LOCO_REGISTRY")
    }
}

func describe(_ error: DecodingError) -> String {
    func path(_ ctx: DecodingError.Context) -> String {
        ctx.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let ctx):
        let at = path(ctx)
        return "missing field '\(key.stringValue)'" + (at.isEmpty ? "" : " in \(at)")
    case .typeMismatch(let type, let ctx): return "field '\(path(ctx))' must be \(type): \(ctx.debugDescription)"
    case .valueNotFound(let type, let ctx): return "field '\(path(ctx))' must be \(type), found nothing"
    case .dataCorrupted(let ctx): return ctx.debugDescription + (path(ctx).isEmpty ? "" : " at \(path(ctx))")
    @unknown default: return "\(error)"
    }
}
