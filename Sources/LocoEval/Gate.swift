import Foundation
import LocoKit
import LocoAnswers
import LocoRegistry

/// `loco eval ADAPTER`: the adapter's benchmark answered by the base model and by the adapter,
/// and another adapter's benchmark likewise (does it hurt elsewhere?); greedy, seed 1, RE2 on.
public struct Gate {
    public var context: EvalContext
    public var adapter: String
    public var against: String

    public init(context: EvalContext, adapter: String, against: String) {
        self.context = context
        self.adapter = adapter
        self.against = against
    }

    /// The gated benchmark, another domain's, then each further benchmark of the adapter's own
    /// (`more_benchmarks`): each answered by the base model and by the adapter.
    public var passes: [BenchmarkPass] {
        [BenchmarkPass(name: "base", benchmarkOf: adapter, answerer: .forced(nil)),
         BenchmarkPass(name: "adapter", benchmarkOf: adapter, answerer: .forced(adapter)),
         BenchmarkPass(name: "ood-base-\(against)", benchmarkOf: against, answerer: .forced(nil)),
         BenchmarkPass(name: "ood-adapter-\(against)", benchmarkOf: against, answerer: .forced(adapter))]
            + moreBenchmarks.flatMap { name in
                [BenchmarkPass(name: "base-\(name)", benchmarkOf: adapter, benchmarkName: name, answerer: .forced(nil)),
                 BenchmarkPass(name: "adapter-\(name)", benchmarkOf: adapter, benchmarkName: name, answerer: .forced(adapter))]
            }
    }

    var moreBenchmarks: [String] { context.registry[adapter]?.moreBenchmarks?.map(\.name) ?? [] }

    /// results.json's content; nil when a pass was interrupted.
    public func run(say: (String) -> Void, progress: EvalContext.Progress? = nil, date: Date = Date()) throws -> JSONObject? {
        // Every benchmark is checked against the registry before the first pass, so a changed
        // file is refused at once rather than after an hour of the others.
        for pass in passes { _ = try context.benchmark(of: pass.benchmarkOf, named: pass.benchmarkName) }
        var outcomes: [BenchmarkPass.Outcome] = []
        for pass in passes {
            let outcome = try context.run(pass, say: say, progress: progress)
            if outcome.interrupted { return nil }
            outcomes.append(outcome)
        }
        let (base, own, oodBase, oodOwn) = (outcomes[0], outcomes[1], outcomes[2], outcomes[3])
        let more: [JSONValue] = zip(moreBenchmarks, stride(from: 4, to: outcomes.count, by: 2)).map { name, i in
            let (b, a) = (outcomes[i], outcomes[i + 1])
            return .object(["name": .string(name), "file": .string(b.file), "sha256": .string(b.sha256), "metric": .string(b.metric),
                            "items": JSONValue(b.items), "base_score": JSONValue(b.score), "adapter_score": JSONValue(a.score),
                            "base_ci95": Gate.interval(b), "adapter_ci95": Gate.interval(a),
                            "drop": JSONValue(((b.score - a.score) * 10000).rounded() / 10000)])
        }
        var benchmark = base.json
        benchmark["score"] = nil
        let bySource = Gate.bySource(base: try RecordScores.read(context.runs(passes[0].name)),
                                     adapter: try RecordScores.read(context.runs(passes[1].name)))
        let weights = context.registry[adapter]?.weights
        let settings = context.engines.settings
        return [
            "adapter": .string(adapter),
            "weights": JSONValue(weights),
            "benchmark": .object(benchmark),
            "base_score": JSONValue(base.score),
            "adapter_score": JSONValue(own.score),
            "base_ci95": Gate.interval(base),
            "adapter_ci95": Gate.interval(own),
            "interval": Gate.intervalMethod(own),
            "improvement_points": JSONValue(((own.score - base.score) * 1000).rounded() / 10),
            "by_source": bySource.count > 1 ? .array(bySource) : .null,
            "out_of_domain": [.object([
                "benchmark_of": .string(oodBase.benchmarkOf), "file": .string(oodBase.file), "sha256": .string(oodBase.sha256),
                "metric": .string(oodBase.metric), "items": JSONValue(oodBase.items),
                "base_score": JSONValue(oodBase.score), "adapter_score": JSONValue(oodOwn.score),
                "drop": JSONValue(((oodBase.score - oodOwn.score) * 10000).rounded() / 10000),
            ])],
            "more_benchmarks": .array(more),
            "engine": ["backend": .string(settings.backend.rawValue), "url": .string(settings.url), "model": JSONValue(settings.model)],
            "settings": ["temperature": 0, "seed": 1, "max_tokens": JSONValue(context.maxTokens),
                         "limit": context.limit.map { JSONValue($0) } ?? .null, "re2": true],
            "date": .string(Gate.timestamp(date)),
        ]
    }

    /// The gated benchmark's score per source, by the base model and by the adapter, each with its
    /// interval: a benchmark drawn from several sources says how the adapter did on each.
    static func bySource(base: [JSONObject], adapter: [JSONObject]) -> [JSONValue] {
        func values(_ records: [JSONObject]) -> [String: [Double]] {
            records.reduce(into: [:]) { grouped, record in
                grouped[record["source"]?.stringValue ?? "-", default: []].append(RecordScores.value(record))
            }
        }
        let (b, a) = (values(base), values(adapter))
        return b.keys.sorted().map { source in
            let (bs, own) = (b[source]!, a[source] ?? [])
            let (baseScore, adapterScore) = (RecordScores.mean(bs), RecordScores.mean(own))
            return .object(["source": .string(source), "items": JSONValue(bs.count),
                            "base_score": JSONValue(baseScore), "adapter_score": JSONValue(adapterScore),
                            "base_ci95": RecordScores.interval(bs), "adapter_ci95": RecordScores.interval(own),
                            "drop": JSONValue(RecordScores.round(baseScore - adapterScore))])
        }
    }

    /// Writes the gate's scores into the registry's entry, keeping its comments and layout.
    public func record(_ results: JSONObject, in registryURL: URL) throws {
        guard let base = results["base_score"]?.doubleValue, let own = results["adapter_score"]?.doubleValue,
              let points = results["improvement_points"]?.doubleValue else { return }
        try RegistryFile.set("benchmark_score", of: adapter, to: GateVerdict.number(own), in: registryURL)
        try RegistryFile.set("base_model_score", of: adapter, to: GateVerdict.number(base), in: registryURL)
        try RegistryFile.set("improvement", of: adapter, to: "\"\(points >= 0 ? "+" : "")\(GateVerdict.number(points)) points\"", in: registryURL)
    }

    /// The 95% interval that fits the benchmark's metric: Wilson's for right-or-wrong items, a
    /// bootstrap over items for a mean of shares (ROUGE-L, token F1).
    static func interval(_ outcome: BenchmarkPass.Outcome) -> JSONValue {
        if outcome.values.count == outcome.items, let (low, high, _) = ScoreInterval.ci95(outcome.values) {
            return [JSONValue(low), JSONValue(high)]
        }
        guard let (low, high) = WilsonInterval.ci95(outcome.score, outcome.items) else { return .null }
        return [JSONValue(low), JSONValue(high)]
    }

    /// Which interval `interval` gives: "wilson" or "bootstrap".
    static func intervalMethod(_ outcome: BenchmarkPass.Outcome) -> JSONValue {
        guard outcome.values.count == outcome.items, let (_, _, method) = ScoreInterval.ci95(outcome.values) else { return "wilson" }
        return .string(method.rawValue)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }
}

/// `loco eval ADAPTER --ablation`: each layer of the stack on the adapter's benchmark, alone and
/// together: the base model, + RE2, + 5 votes, + the adapter, and the full routed stack.
public struct Ablation {
    public var context: EvalContext
    public var adapter: String

    public init(context: EvalContext, adapter: String) {
        self.context = context
        self.adapter = adapter
    }

    public var layers: [(config: String, label: String, pass: BenchmarkPass)] {
        [("base", "base model", BenchmarkPass(name: "ablation-base", benchmarkOf: adapter, answerer: .forced(nil), reRead: false)),
         ("re2", "+ RE2", BenchmarkPass(name: "ablation-re2", benchmarkOf: adapter, answerer: .forced(nil))),
         ("votes", "+ RE2 + 5 votes", BenchmarkPass(name: "ablation-votes", benchmarkOf: adapter, answerer: .forced(nil), votes: 5)),
         ("adapter", "+ RE2 + adapter", BenchmarkPass(name: "ablation-adapter", benchmarkOf: adapter, answerer: .forced(adapter))),
         ("full", "full stack: routed, RE2, adapter, 5 votes", BenchmarkPass(name: "ablation-full", benchmarkOf: adapter, answerer: .routed, votes: 5))]
    }

    /// ablation.json's content; nil when a pass was interrupted.
    public func run(say: (String) -> Void, progress: EvalContext.Progress? = nil, date: Date = Date()) throws -> JSONObject? {
        var configs: [JSONValue] = []
        var first: BenchmarkPass.Outcome?
        for layer in layers {
            let outcome = try context.run(layer.pass, say: say, progress: progress)
            if outcome.interrupted { return nil }
            first = first ?? outcome
            configs.append(.object(["config": .string(layer.config), "label": .string(layer.label), "items": JSONValue(outcome.items),
                                    "errors": JSONValue(outcome.errors), "score": JSONValue(outcome.score), "ci95": Gate.interval(outcome)]))
        }
        var benchmark = first?.json ?? [:]
        for key in ["items", "errors", "score"] { benchmark[key] = nil }
        return [
            "adapter": .string(adapter),
            "benchmark": .object(benchmark),
            "settings": ["seed": 1, "max_tokens": JSONValue(context.maxTokens), "limit": context.limit.map { JSONValue($0) } ?? .null,
                         "votes": .string("5 samples at temperature \(GateVerdict.number(context.votingTemperature)), early stop"),
                         "greedy_otherwise": true],
            "engine": ["backend": .string(context.engines.settings.backend.rawValue)],
            "date": .string(Gate.timestamp(date)),
            "configs": .array(configs),
        ]
    }

    /// `label: score [low, high] over N items`, one line per layer.
    public static func lines(_ ablation: JSONObject) -> [String] {
        (ablation["configs"]?.arrayValue ?? []).compactMap { value in
            guard let c = value.objectValue else { return nil }
            let ci = c["ci95"]?.arrayValue?.map { JSONWriter.string($0) }.joined(separator: ", ") ?? "n/a"
            return "\(c["label"]?.stringValue ?? "?"): \(JSONWriter.string(c["score"] ?? .null)) [\(ci)] over \(JSONWriter.string(c["items"] ?? .null)) items"
        }
    }
}
