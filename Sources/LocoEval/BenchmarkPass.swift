import Foundation
import LocoAnswers
import LocoEngines
import LocoKit
import LocoRoute
import LocoQuery
import LocoScore
import LocoRegistry

/// One pass over an adapter's benchmark under one configuration of the stack: which adapter
/// answers (forced, or routed), RE2 or not, one greedy answer or several samples voted on.
public struct BenchmarkPass {
    public enum Answerer: Equatable {
        case forced(String?)  // nil: the base model
        case routed
        /// The adapter the record's `domain` names (the base model where no adapter has that
        /// name): what the routed stack would score with a router that never errs.
        case rightAdapter
    }

    /// Its file under `runs/`: `NAME.jsonl`, every record as `loco run` writes it (resumable).
    public var name: String
    /// The adapter whose benchmark is read.
    public var benchmarkOf: String
    /// Which of its benchmarks: nil for the gated one (`benchmark`), else a `more_benchmarks` name.
    public var benchmarkName: String?
    /// A benchmark outside the registry (the mixed benchmark), each record scored by its own
    /// `metric`; `benchmarkOf` and `benchmarkName` are then unused.
    public var file: URL?
    public var answerer: Answerer
    public var reRead = true
    public var votes = 1
    /// How multiple-choice questions are answered: the stack scores their options; the base
    /// model's rows, the peers, write their answers as a user asking it would get them.
    public var choices: ChoiceAnswering = .score

    public init(name: String, benchmarkOf: String, benchmarkName: String? = nil, file: URL? = nil, answerer: Answerer,
                reRead: Bool = true, votes: Int = 1, choices: ChoiceAnswering = .score) {
        self.name = name
        self.file = file
        self.benchmarkOf = benchmarkOf
        self.benchmarkName = benchmarkName
        self.answerer = answerer
        self.reRead = reRead
        self.votes = votes
        self.choices = choices
    }

    /// What a pass measured, as results.json and ablation.json record it.
    public struct Outcome {
        public var benchmarkOf: String
        public var file: String
        public var sha256: String
        public var metric: String
        /// Scored items.
        public var items: Int
        public var errors: Int
        public var score: Double
        public var interrupted: Bool
        /// Each scored item's value: the interval is computed from them.
        public var values: [Double] = []

        public var json: JSONObject {
            ["benchmark_of": .string(benchmarkOf), "file": .string(file), "sha256": .string(sha256), "metric": .string(metric),
             "items": JSONValue(items), "errors": JSONValue(errors), "score": JSONValue(score)]
        }
    }

}

/// What every pass of one `loco eval` shares.
public struct EvalContext {
    public var registry: Registry
    public var routerModel: RouterModel?
    public var engines: Engines
    public var maxTokens: Int
    public var limit: Int?
    public var votingTemperature: Double
    /// Where `runs/` goes.
    public var output: URL
    public var parallelism: Int?

    public init(registry: Registry, routerModel: RouterModel?, engines: Engines, maxTokens: Int, limit: Int?,
                votingTemperature: Double, output: URL, parallelism: Int?) {
        self.registry = registry
        self.routerModel = routerModel
        self.engines = engines
        self.maxTokens = maxTokens
        self.limit = limit
        self.votingTemperature = votingTemperature
        self.output = output
        self.parallelism = parallelism
    }

    /// Stops before any pass when the engine has not loaded an adapter the passes apply: each of
    /// its records would be an error, and the scores a table of zeros.
    public func requireLoaded(_ adapters: [String]) throws {
        let missing = try engines.adaptersNotLoaded(adapters, registry: registry)
        guard missing.isEmpty else {
            throw ConfigError("the engine has not loaded \(missing.joined(separator: ", ")): run `loco adapters install --all` (it restarts the embedded engine with them); nothing was measured")
        }
    }

    /// The benchmark's file, checked against the registry's sha256 (a benchmark that changed is a
    /// different benchmark), and its metric.
    public func benchmark(of adapter: String, named name: String? = nil) throws -> (url: URL, relative: String, sha256: String, metric: Metric) {
        guard let entry = registry[adapter] else { throw ConfigError("no adapter '\(adapter)' in \(registry.location?.path ?? "the registry")") }
        if let name {
            guard let more = entry.moreBenchmarks?.first(where: { $0.name == name }) else {
                throw ConfigError("\(adapter) has no benchmark named '\(name)' in the registry's more_benchmarks")
            }
            return try checked(adapter, relative: more.file, sha256: more.sha256, metricName: more.metric)
        }
        guard let relative = entry.benchmark else {
            throw ConfigError("\(adapter) names no benchmark in the registry (see scripts/make-benchmarks.py)")
        }
        return try checked(adapter, relative: relative, sha256: entry.benchmarkSHA256, metricName: entry.benchmarkMetric ?? "auto")
    }

    func checked(_ adapter: String, relative: String, sha256 expected: String?, metricName name: String) throws
        -> (url: URL, relative: String, sha256: String, metric: Metric) {
        guard let folder = registry.folder(of: adapter) else { throw ConfigError("the registry's location is unknown") }
        let url = folder.appendingPathComponent(relative)
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw ConfigError("\(adapter) has no benchmark at \(url.path) (see scripts/make-benchmarks.py)")
        }
        let actual = try sha256Hex(of: url)
        guard let expected, actual == expected.lowercased() else {
            throw ConfigError("\(url.path) does not match the registry's sha256 for it (\(actual) vs \(expected ?? "none")): a benchmark that changed is a different benchmark")
        }
        guard let metric = Metric(rawValue: name) else { throw ConfigError("\(adapter): unknown benchmark_metric '\(name)'") }
        return (url, relative, actual, metric)
    }

    /// A pass's records: `runs/NAME.jsonl` under `output`.
    public func runs(_ name: String) -> URL { output.appendingPathComponent("runs/\(name).jsonl") }

    /// After each record: the pass, the records done (earlier runs' included), the total, and
    /// this run's records and seconds so far.
    public typealias Progress = (_ pass: String, _ done: Int, _ total: Int, _ thisRun: Int, _ seconds: Double) -> Void

    /// Runs `pass`, resuming its records file if an earlier run left one. `say` gets one line
    /// per pass; `progress` a call after each record (for a terminal).
    public func run(_ pass: BenchmarkPass, say: (String) -> Void, progress: Progress? = nil) throws -> BenchmarkPass.Outcome {
        let bench = try pass.file.map(EvalContext.unregistered) ?? benchmark(of: pass.benchmarkOf, named: pass.benchmarkName)
        let recordsFile = runs(pass.name), records = recordsFile.path
        try FileManager.default.createDirectory(at: recordsFile.deletingLastPathComponent(), withIntermediateDirectories: true)

        var settings = QuerySettings()
        switch pass.answerer {
        case .forced(let adapter): settings.adapter = adapter ?? "none"
        case .routed, .rightAdapter: settings.adapter = nil
        }
        settings.votes = pass.votes
        settings.reRead = pass.reRead
        settings.choices = pass.choices
        // Greedy with seed 1 for one sample, as the gate is defined; votes at the voting temperature.
        settings.sampling = Sampling(maxTokens: maxTokens, temperature: pass.votes > 1 ? votingTemperature : 0, seed: 1)
        let pipeline = try QueryPipeline(registry: registry, routerModel: routerModel, engines: engines, settings: settings,
                                         scoring: bench.metric)
        var batch = BatchRun(pipeline: pipeline, parallelism: parallelism ?? BatchRun.defaultParallelism(engines: engines, samples: pass.votes))

        let input = try prepared(bench.url, for: pass.answerer)
        defer { if input != bench.url.path { unlink(input) } }
        let total = BatchRun.lineCount(input)
        try discardRecordsMadeOtherwise(records, pass: pass, benchmarkSHA256: bench.sha256, say: say)
        let resume = FileManager.default.fileExists(atPath: records) ? try ResumeFile.prepare(records) : nil
        let who = switch pass.answerer {
        case .forced(nil): "the base model"
        case .forced(let adapter?): adapter
        case .routed: "the router's choice"
        case .rightAdapter: "the adapter of each question's domain"
        }
        let what = pass.file != nil ? "\(bench.relative) (each record's own metric)"
            : "\(pass.benchmarkOf)'s \(pass.benchmarkName.map { "\($0) " } ?? "")benchmark (\(bench.metric.rawValue))"
        say("run \(pass.name): \(what) with \(who)"
            + (pass.reRead ? "" : ", no RE2") + (pass.votes > 1 ? ", \(pass.votes) votes" : "")
            + (pass.choices == .generate ? ", choices written, not scored" : "")
            + (resume.map { $0.count > 0 ? ", resuming: \($0.summary)" : "" } ?? ""))
        let started = Date()
        let report = try batch.run(input: input, output: records, resume: resume, row: { _ in }, progress: progress.map { show in
            { done, outcome in show(pass.name, done, total, outcome.records, Date().timeIntervalSince(started)) }
        })
        let accuracy = report.tally.accuracy ?? 0
        return BenchmarkPass.Outcome(benchmarkOf: pass.benchmarkOf, file: bench.relative, sha256: bench.sha256, metric: bench.metric.rawValue,
                                     items: report.tally.scored, errors: report.tally.errors,
                                     score: (accuracy * 10000).rounded() / 10000, interrupted: report.outcome.interrupted,
                                     values: report.tally.values)
    }

    /// What a pass's records depend on besides the benchmark's lines: the weights that answer, the
    /// router model and the forms that chose them (for the passes it routes), the benchmark's version and the
    /// generation settings. Kept beside the records (`runs/NAME.settings.json`), so that a run
    /// after retraining an adapter or the router starts the pass again instead of resuming
    /// records the old weights wrote or the old router sent.
    func recordSettings(_ pass: BenchmarkPass, benchmarkSHA256: String) -> JSONValue {
        // The right-adapter pass takes the routed answer wherever the router chose right: it depends on the router too.
        let (answering, routed): ([String], Bool) = switch pass.answerer {
        case .forced(nil): ([], false)
        case .forced(let adapter?): ([adapter], false)
        case .routed, .rightAdapter: (registry.names.sorted(), true)
        }
        var settings: JSONObject = [
            "benchmark_sha256": .string(benchmarkSHA256), "max_tokens": JSONValue(maxTokens),
            "votes": JSONValue(pass.votes), "re2": .bool(pass.reRead), "voting_temperature": JSONValue(votingTemperature),
            "weights_sha256": .object(JSONObject(answering.map { ($0, registry[$0]?.weightsSHA256.map(JSONValue.string) ?? .null) }))]
        // Only when scored, so that stamps made before options were scored still hold for the passes that write them.
        if pass.choices == .score {
            settings["choices"] = .string(pass.choices.rawValue)
            // Scored less each option's likelihood after no question (ChoiceScore), since 2026-12-07.
            settings["choice_score"] = "pmi"
        }
        if routed {
            settings["router_sha256"] = routerModel.map { .string($0.fingerprint) } ?? .null
            // Only when an adapter claims a form, so that stamps made before forms existed still hold.
            if let forms = try? FormRouter.forms(in: registry), !forms.isEmpty {
                settings["router_forms"] = .object(JSONObject(forms.map { ($0.form.rawValue, JSONValue.string($0.adapter)) }))
            }
        }
        return .object(settings)
    }

    func discardRecordsMadeOtherwise(_ records: String, pass: BenchmarkPass, benchmarkSHA256: String, say: (String) -> Void) throws {
        let stampPath = URL(fileURLWithPath: records).deletingPathExtension().appendingPathExtension("settings.json").path
        let current = recordSettings(pass, benchmarkSHA256: benchmarkSHA256)
        let stamp = JSONWriter.string(current) + "\n"
        if FileManager.default.fileExists(atPath: records),
           (try? String(contentsOfFile: stampPath, encoding: .utf8)) != stamp {
            try FileManager.default.removeItem(atPath: records)
            say("run \(pass.name): earlier records were made with other weights, router or settings (or before they were recorded); starting again")
        }
        try stamp.write(toFile: stampPath, atomically: true, encoding: .utf8)
    }

    /// A benchmark file outside the registry: its sha256 stamps the runs, each record names its metric.
    static func unregistered(_ url: URL) throws -> (url: URL, relative: String, sha256: String, metric: Metric) {
        guard FileManager.default.isReadableFile(atPath: url.path) else { throw ConfigError("cannot read \(url.path)") }
        return (url, url.path, try sha256Hex(of: url), .auto)
    }

    /// The benchmark as the pass reads it: its first `limit` lines, and for `.rightAdapter` each
    /// record's `adapter` set from its `domain` (the route stage keeps a record's own adapter);
    /// in a temporary file when either applies.
    func prepared(_ url: URL, for answerer: BenchmarkPass.Answerer) throws -> String {
        guard limit != nil || answerer == .rightAdapter else { return url.path }
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        if let limit { lines = Array(lines.prefix(limit)) }
        if answerer == .rightAdapter {
            lines = try lines.enumerated().map { index, line in
                guard case .object(var record) = try JSONParser.parse(Array(line.utf8)) else {
                    throw ConfigError("\(url.path): line \(index + 1): not a JSON object")
                }
                guard let domain = record["domain"]?.stringValue else {
                    throw ConfigError("\(url.path): line \(index + 1): field 'domain': missing (the adapter that should answer, or general)")
                }
                record[.adapter] = registry[domain] != nil ? .string(domain) : .null
                return JSONWriter.string(.object(record))
            }
        }
        let path = NSTemporaryDirectory() + "/loco-eval-\(UUID().uuidString).jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
