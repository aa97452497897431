import Foundation
import LocoAnswers
import LocoKit

/// One measured configuration: a score over some items, with its 95% Wilson interval.
public struct Measurement: Equatable, Sendable {
    public var score: Double
    public var items: Int
    public var ci95: (Double, Double)?

    public init(score: Double, items: Int, ci95: (Double, Double)? = nil) {
        self.score = score
        self.items = items
        self.ci95 = ci95 ?? Measurement.wilson(score, items)
    }

    public static func == (a: Measurement, b: Measurement) -> Bool {
        a.score == b.score && a.items == b.items && a.ci95?.0 == b.ci95?.0 && a.ci95?.1 == b.ci95?.1
    }

    /// The 95% Wilson score interval of a proportion p over n items, rounded to 3 places.
    public static func wilson(_ p: Double, _ n: Int) -> (Double, Double)? {
        WilsonInterval.ci95(p, n).map { ($0.low, $0.high) }
    }
}

/// A row of the report: one adapter's benchmark under one set of settings, with a measurement
/// for each layer of the stack that was run.
public struct ReportRow: Equatable, Sendable {
    public static let columns = ["base", "re2", "votes", "adapter", "full"]
    public static let titles = ["base model", "+ RE2", "+ RE2 + 5 votes", "+ RE2 + adapter", "full stack"]

    public var adapter: String
    public var metric: String
    public var source: String
    public var cells: [String: Measurement]
}

public enum ReportData {
    /// `bench/mixed/results.json` beside the adapters' folder (`loco eval --mixed`), if it was run.
    public static func mixed(adaptersFolder: URL) throws -> JSONObject? {
        try object(adaptersFolder.deletingLastPathComponent().appendingPathComponent("bench/mixed/results.json"))
    }

    /// Every `adapters/<name>/eval/ablation.json` and `results.json`, in adapter order.
    public static func load(adaptersFolder: URL) throws -> [ReportRow] {
        let names = try FileManager.default.contentsOfDirectory(atPath: adaptersFolder.path).sorted()
        var rows: [ReportRow] = []
        for name in names {
            let eval = adaptersFolder.appendingPathComponent(name).appendingPathComponent("eval")
            if let ablation = try object(eval.appendingPathComponent("ablation.json")) { rows.append(try fromAblation(ablation, adapter: name)) }
            if let results = try object(eval.appendingPathComponent("results.json")) {
                rows.append(try fromResults(results, adapter: name))
                rows += fromMoreBenchmarks(results, adapter: name)
            }
        }
        return rows
    }

    static func object(_ url: URL) throws -> JSONObject? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        guard case .object(let o) = try JSONParser.parse([UInt8](data)) else { throw ConfigError("\(url.path) is not a JSON object") }
        return o
    }

    static func fromAblation(_ o: JSONObject, adapter: String) throws -> ReportRow {
        var cells: [String: Measurement] = [:]
        for config in o["configs"]?.arrayValue ?? [] {
            guard let c = config.objectValue, let key = c["config"]?.stringValue, let score = c["score"]?.doubleValue,
                  let items = c["items"]?.intValue else { continue }
            cells[key] = Measurement(score: score, items: items)
        }
        let settings = o["settings"]?.objectValue
        let limit = settings?["limit"]?.intValue.map { "first \($0) items" } ?? "all items"
        let tokens = settings?["max_tokens"]?.intValue.map { ", \($0) tokens" } ?? ""
        return ReportRow(adapter: adapter, metric: o["benchmark"]?.objectValue?["metric"]?.stringValue ?? "?",
                         source: "ablation.json (\(limit)\(tokens))", cells: cells)
    }

    /// The gate's two runs: its base run already reads the question twice (+ RE2).
    static func fromResults(_ o: JSONObject, adapter: String) throws -> ReportRow {
        let bench = o["benchmark"]?.objectValue
        let items = bench?["items"]?.intValue ?? 0
        var cells: [String: Measurement] = [:]
        // The gate's own intervals: Wilson for shares of right answers, a bootstrap for means of scores.
        func interval(_ key: String) -> (Double, Double)? {
            guard let pair = o[key]?.arrayValue, pair.count == 2, let low = pair[0].doubleValue, let high = pair[1].doubleValue else { return nil }
            return (low, high)
        }
        if let base = o["base_score"]?.doubleValue { cells["re2"] = Measurement(score: base, items: items, ci95: interval("base_ci95")) }
        if let own = o["adapter_score"]?.doubleValue { cells["adapter"] = Measurement(score: own, items: items, ci95: interval("adapter_ci95")) }
        let tokens = o["settings"]?.objectValue?["max_tokens"]?.intValue.map { ", \($0) tokens" } ?? ""
        let promptOnly = o["weights"].map { $0.isNull } ?? false ? "; no weights, so + adapter is its system prompt alone" : ""
        return ReportRow(adapter: adapter, metric: bench?["metric"]?.stringValue ?? "?", source: "results.json (gate, \(items) items\(tokens)\(promptOnly))", cells: cells)
    }

    /// The gate's runs on the adapter's further benchmarks (a harder tier, a second task).
    static func fromMoreBenchmarks(_ o: JSONObject, adapter: String) -> [ReportRow] {
        (o["more_benchmarks"]?.arrayValue ?? []).compactMap { value in
            guard let m = value.objectValue, let name = m["name"]?.stringValue, let items = m["items"]?.intValue,
                  let base = m["base_score"]?.doubleValue, let own = m["adapter_score"]?.doubleValue else { return nil }
            return ReportRow(adapter: adapter, metric: m["metric"]?.stringValue ?? "?", source: "results.json (gate, \(name), \(items) items)",
                             cells: ["re2": Measurement(score: base, items: items), "adapter": Measurement(score: own, items: items)])
        }
    }
}
