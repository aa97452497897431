import Foundation
import LocoAnswers
import LocoKit
import LocoRoute

/// `loco eval --mixed`: questions from sources no adapter or router trained on, each record with
/// its `domain` (the adapter that should answer, or `general`) and its own metric, answered five
/// ways: the base model, + RE2, the routed stack, the routed stack with 5 votes, and the right
/// adapter forced (what a router that never errs would score: the router's cost). Scores per
/// domain with the interval that fits them, and how the router did on these questions.
public struct MixedBenchmark {
    public var context: EvalContext
    public var file: URL

    public init(context: EvalContext, file: URL) {
        self.context = context
        self.file = file
    }

    public var configs: [(config: String, label: String, pass: BenchmarkPass)] {
        func pass(_ name: String, _ answerer: BenchmarkPass.Answerer, reRead: Bool = true, votes: Int = 1,
                  choices: ChoiceAnswering = .score) -> BenchmarkPass {
            BenchmarkPass(name: "mixed-\(name)", benchmarkOf: "", file: file, answerer: answerer, reRead: reRead, votes: votes, choices: choices)
        }
        // The base model's rows are the peers: the model asked as a user would ask it, writing its answers.
        return [("base", "base model", pass("base", .forced(nil), reRead: false, choices: .generate)),
                ("re2", "base model + RE2", pass("re2", .forced(nil), choices: .generate)),
                ("routed", "routed stack (router, adapter, RE2)", pass("routed", .routed)),
                ("right", "right adapter forced (no router)", pass("right", .rightAdapter)),
                ("votes", "routed stack + 5 votes", pass("votes", .routed, votes: 5))]
    }

    /// The domain general questions carry: no adapter should answer them.
    public static let general = "general"

    /// Tokens per answer unless `--max-tokens` or LOCO_MAX_TOKENS says otherwise: every table
    /// published from this benchmark was measured so, and its answers are short (a number, a
    /// label, a sentence, a function). With the tools' own 256 the one command the README gives
    /// would measure another table, and throw away the records kept at 128.
    public static let defaultMaxTokens = 128

    /// How its passes sample: greedy with seed 1 as every pass, at `defaultMaxTokens` unless the
    /// flag or the environment asks for another budget.
    public static func sampling(maxTokens flag: Int?, environment: [String: String]) throws -> Sampling {
        var sampling = try Sampling(maxTokens: flag, temperature: nil, seed: 1, environment: environment)
        if flag == nil && (environment["LOCO_MAX_TOKENS"] ?? "").isEmpty { sampling.maxTokens = defaultMaxTokens }
        return sampling
    }

    /// results.json's content; nil when a pass was interrupted.
    public func run(say: (String) -> Void, progress: EvalContext.Progress? = nil, date: Date = Date()) throws -> JSONObject? {
        var rows: [JSONValue] = []
        var routing: JSONObject?
        var benchmark: JSONObject = [:]
        var routed: [JSONObject] = []
        for config in configs {
            let records: [JSONObject]
            if config.config == "right" {
                guard let right = try rightAnswers(routed: routed, pass: config.pass, say: say, progress: progress) else { return nil }
                records = right
            } else {
                let outcome = try context.run(config.pass, say: say, progress: progress)
                if outcome.interrupted { return nil }
                benchmark = ["file": .string(shown(outcome.file)), "sha256": .string(outcome.sha256)]
                records = try RecordScores.read(runs(config.pass.name))
            }
            rows.append(.object(MixedBenchmark.row(config: config.config, label: config.label, records: records)))
            if config.config == "routed" {
                routed = records
                routing = MixedBenchmark.routing(records, adapters: context.registry.names)
            }
        }
        benchmark["items"] = rows.first?.objectValue?["items"] ?? .null
        return [
            "benchmark": .object(benchmark),
            "settings": ["seed": 1, "max_tokens": JSONValue(context.maxTokens), "limit": context.limit.map { JSONValue($0) } ?? .null,
                         "votes": .string("5 samples at temperature \(GateVerdict.number(context.votingTemperature)), early stop"),
                         "greedy_otherwise": true],
            "engine": ["backend": .string(context.engines.settings.backend.rawValue), "model": JSONValue(context.engines.settings.model)],
            "date": .string(Gate.timestamp(date)),
            "configs": .array(rows),
            "routing": routing.map(JSONValue.object) ?? .null,
        ]
    }

    /// A path inside the checkout as the checkout names it (results.json is committed).
    func shown(_ path: String) -> String {
        guard let root = context.registry.location?.deletingLastPathComponent().deletingLastPathComponent().path else { return path }
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    func runs(_ name: String) -> URL { context.runs(name) }

    /// The right adapter forced: where the router already chose it, the routed answer is that
    /// answer (same stages, same settings), so only the questions it sent elsewhere are asked
    /// again, with their domain's adapter. The merged records go to runs/mixed-right.jsonl.
    func rightAnswers(routed: [JSONObject], pass: BenchmarkPass, say: (String) -> Void,
                      progress: EvalContext.Progress?) throws -> [JSONObject]? {
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        let names = Set(context.registry.names)
        func right(_ record: JSONObject) -> String? {
            record["domain"]?.stringValue.flatMap { names.contains($0) ? $0 : nil }
        }
        let misrouted = routed.indices.filter { routed[$0].hasError || routed[$0][.adapter]?.stringValue != right(routed[$0]) }
        var merged = routed
        if !misrouted.isEmpty {
            let again = context.output.appendingPathComponent("runs/misrouted.jsonl")
            try (misrouted.map { lines[$0] }.joined(separator: "\n") + "\n").write(to: again, atomically: true, encoding: .utf8)
            var rerun = pass
            rerun.name += "-misrouted"
            rerun.file = again
            say("the router sent \(misrouted.count) of \(routed.count) questions elsewhere: those are asked again with their domain's adapter")
            let outcome = try context.run(rerun, say: say, progress: progress)
            if outcome.interrupted { return nil }
            for (index, record) in zip(misrouted, try RecordScores.read(runs(rerun.name))) { merged[index] = record }
        }
        let text = merged.map { JSONWriter.string(.object($0)) }.joined(separator: "\n") + "\n"
        try text.write(to: runs(pass.name), atomically: true, encoding: .utf8)
        return merged
    }

    /// One configuration's line: the score over all questions and per domain, each with its
    /// interval (a record that failed scores 0: `RecordScores.value`).
    static func row(config: String, label: String, records: [JSONObject]) -> JSONObject {
        var byDomain: [String: [Double]] = [:]
        var all: [Double] = []
        var errors = 0
        for record in records {
            let value = RecordScores.value(record)
            if record.hasError { errors += 1 }
            all.append(value)
            byDomain[record["domain"]?.stringValue ?? general, default: []].append(value)
        }
        func measured(_ values: [Double]) -> JSONValue {
            ["score": JSONValue(RecordScores.mean(values)), "ci95": RecordScores.interval(values), "items": JSONValue(values.count)]
        }
        return ["config": .string(config), "label": .string(label), "items": JSONValue(all.count), "errors": JSONValue(errors),
                "overall": measured(all),
                "domains": .object(JSONObject(byDomain.keys.sorted().map { ($0, measured(byDomain[$0]!)) }))]
    }

    /// How the router sent these questions: accuracy and macro-F1 against each record's domain,
    /// the share sent to a wrong adapter, and the share sent there with confidence of at least 0.5.
    static func routing(_ records: [JSONObject], adapters: [String]) -> JSONObject {
        let predictions = records.filter { !$0.hasError }.map { record in
            let domain = record["domain"]?.stringValue ?? general
            return CrossSourceEvaluation.Prediction(source: record["source"]?.stringValue ?? "-",
                                                    expected: adapters.contains(domain) ? domain : nil,
                                                    routed: record[.adapter]?.stringValue,
                                                    confidence: record[.route]?.objectValue?["confidence"]?.doubleValue ?? 0)
        }
        var evaluation = RouterEvaluation(adapters: adapters)
        for p in predictions { evaluation.add(expected: p.expected, routed: p.routed) }
        let router = records.lazy.compactMap { $0[.route]?.objectValue?["router"]?.stringValue }.first ?? "classifier"
        var json = evaluation.json(router: router, threshold: StandardRouter.Kind(rawValue: router)?.defaultThreshold ?? 0)
        // The records are routed already: at threshold 0 every route stands, at 0.5 only the sure ones.
        json["to_a_wrong_adapter"] = JSONValue(RecordScores.round(CrossSourceEvaluation.confidentlyWrong(predictions, threshold: 0)))
        json["confidently_to_a_wrong_adapter"] = JSONValue(RecordScores.round(CrossSourceEvaluation.confidentlyWrong(predictions, threshold: 0.5)))
        return json
    }

}
