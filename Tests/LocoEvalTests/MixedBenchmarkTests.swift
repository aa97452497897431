import Foundation
import Testing
import LocoAnswers
@testable import LocoEval
import LocoKit
import LocoRegistry
@testable import LocoReport
import LocoTestSupport

@Suite struct MixedBenchmarkTests {
    static let root = checkoutRoot

    static func lines(_ url: URL) throws -> [JSONObject] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            try #require(try JSONParser.parse(String(line)).objectValue)
        }
    }

    /// Lower case without spaces or quotes: the same question pasted with other spacing or quotes.
    static func normalized(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) && !"\"'`".unicodeScalars.contains($0) }
            .map(Character.init).prefix(160))
    }

    @Test func theMixedBenchmarkComesFromSourcesNothingTrainedOn() throws {
        let registry = try Registry.load(Self.root.appendingPathComponent("adapters/registry.yaml"))
        let items = try Self.lines(Self.root.appendingPathComponent("bench/data/mixed.jsonl"))
        #expect(items.count >= 300)
        var perDomain: [String: Int] = [:]
        for item in items {
            let domain = try #require(item["domain"]?.stringValue, "\(item[.id].map { JSONWriter.string($0) } ?? "?"): no domain")
            perDomain[domain, default: 0] += 1
            #expect(item[.metric]?.stringValue != nil && item["source"]?.stringValue != nil, "every item names its metric and source")
        }
        #expect(Set(perDomain.keys) == Set(registry.names + [MixedBenchmark.general]), "every adapter's domain and general questions")
        #expect(perDomain.values.allSatisfy { $0 >= 30 }, "\(perDomain)")

        // By source: no adapter trains on, or is gated on, a source of the mixed benchmark.
        let sources = Set(items.compactMap { $0["source"]?.stringValue })
        #expect(sources.count >= 10)
        for name in registry.names {
            let entry = try #require(registry[name])
            let used = Set((entry.trainingSources ?? []) + (entry.gateSources ?? []))
            #expect(used.isDisjoint(with: sources), "\(name) uses \(used.intersection(sources))")
        }
        // By item: no question of the mixed benchmark is among what the router or an adapter trained on.
        var seen = Set<String>()
        let trained = ["adapters/router/train.jsonl", "adapters/router/test.jsonl"] + registry.names.map { "adapters/\($0)/training/dataset.jsonl" }
        for file in trained {
            for record in try Self.lines(Self.root.appendingPathComponent(file)) {
                if let query = record[.query]?.stringValue { seen.insert(Self.normalized(query)) }
                for message in record[.messages]?.arrayValue ?? [] {
                    if let text = message.objectValue?["content"]?.stringValue { seen.insert(Self.normalized(text)) }
                }
            }
        }
        let overlap = items.filter { seen.contains(Self.normalized($0[.query]?.stringValue ?? "")) }
        #expect(overlap.isEmpty, "\(overlap.compactMap { $0[.id]?.stringValue })")
    }

    func record(_ domain: String, _ value: Double?, adapter: String? = nil, confidence: Double = 0.9, error: Bool = false) -> JSONObject {
        var record: JSONObject = ["domain": .string(domain), "adapter": JSONValue(adapter),
                                  "route": ["router": "classifier", "confidence": JSONValue(confidence)]]
        if let value { record[.score] = ["metric": "x", "value": JSONValue(value)] }
        if error { record[.error] = ["stage": "gen", "message": "engine down"] }
        return record
    }

    @Test func aRowScoresEachDomainWithTheIntervalThatFitsIt() throws {
        let records = [record("sentiment", 1), record("sentiment", 0), record("sentiment", 1), record("sentiment", nil, error: true),
                       record("writing-academic", 0.4), record("writing-academic", 0.5)]
        let row = MixedBenchmark.row(config: "routed", label: "routed stack", records: records)
        #expect(row["items"]?.intValue == 6 && row["errors"]?.intValue == 1)
        let domains = try #require(row["domains"]?.objectValue)
        // A failed record scores 0: the user got no answer.
        let sentiment = try #require(domains["sentiment"]?.objectValue)
        #expect(sentiment["score"]?.doubleValue == 0.5 && sentiment["items"]?.intValue == 4)
        #expect(sentiment["ci95"]?.arrayValue?.compactMap(\.doubleValue) == [0.15, 0.85], "Wilson's for right-or-wrong")
        let writing = try #require(domains["writing-academic"]?.objectValue)
        let ci = (writing["ci95"]?.arrayValue ?? []).compactMap { $0.doubleValue }
        try #require(ci.count == 2)
        #expect(writing["score"]?.doubleValue == 0.45 && ci[0] >= 0.4 && ci[1] <= 0.5, "a bootstrap over ROUGE-L scores: \(ci)")
        #expect(row["overall"]?.objectValue?["score"]?.doubleValue == 0.4833)
    }

    @Test func routingCountsTheAdapterEachDomainShouldGo() throws {
        let adapters = ["sentiment", "code-python"]
        let records = [record("sentiment", 1, adapter: "sentiment"), record("sentiment", 0, adapter: "code-python", confidence: 0.3),
                       record("general", 0, adapter: nil), record("general", 0, adapter: "sentiment", confidence: 0.8),
                       record("code-python", 1, adapter: "code-python"), record("code-python", 0, adapter: nil)]
        let routing = MixedBenchmark.routing(records, adapters: adapters)
        #expect(routing["accuracy"]?.doubleValue == 0.5)
        // To a wrong adapter: two of six (the base model where an adapter should answer is not "wrong adapter").
        #expect(routing["to_a_wrong_adapter"]?.doubleValue == 0.3333)
        #expect(routing["confidently_to_a_wrong_adapter"]?.doubleValue == 0.1667)
        #expect(routing["router"]?.stringValue == "classifier" && routing["threshold"]?.doubleValue == 0.05)
    }

    @Test func theTableHasARowPerConfigurationAndAColumnPerDomain() throws {
        let rows: [JSONValue] = [
            .object(MixedBenchmark.row(config: "base", label: "base model", records: [record("sentiment", 0), record("general", 1)])),
            .object(MixedBenchmark.row(config: "routed", label: "routed stack", records: [record("sentiment", 1), record("general", 1)])),
        ]
        let results: JSONObject = ["benchmark": ["file": "/x/bench/data/mixed.jsonl", "items": 2], "configs": .array(rows),
                                   "settings": ["max_tokens": 128],
                                   "routing": .object(MixedBenchmark.routing([record("sentiment", 1, adapter: "sentiment"), record("general", 1)],
                                                                              adapters: ["sentiment"]))]
        let lines = MixedTable.lines(results)
        #expect(lines.count == 4)
        #expect(lines[0].split(separator: " ") == ["overall", "general", "sentiment"], "\(lines[0])")
        #expect(lines[1] == "base model    0.50 [0.10, 0.91]  1.00 [0.21, 1.00]  0.00 [0.00, 0.79]", "\(lines[1])")
        #expect(lines[3] == "routing on these 2 questions: macro-F1 1.000, accuracy 1.000, to a wrong adapter 0.0% (with confidence 0.5 or more 0.0%)")
        let markdown = MixedTable.markdown(results)
        #expect(markdown.hasPrefix("|  | overall | general | sentiment |\n|---|---|---|---|\n| base model | 0.50 [0.10, 0.91] |"), "\(markdown)")
        #expect(markdown.contains("2 questions (mixed.jsonl) from sources no adapter or router trained on"))
        // loco report leads with it.
        let report = Render.markdown([], mixed: results)
        #expect(report.hasPrefix("## What users ask: the mixed benchmark\n\n|  | overall |"))
    }

    /// The README's one command measures the README's table: 128 tokens an answer, unless the
    /// flag or LOCO_MAX_TOKENS asks for another budget (the tools' own default is 256).
    @Test func itsAnswersGetTheBudgetItsTablesWereMeasuredWith() throws {
        #expect(try MixedBenchmark.sampling(maxTokens: nil, environment: [:]).maxTokens == 128)
        #expect(try MixedBenchmark.sampling(maxTokens: nil, environment: ["LOCO_MAX_TOKENS": ""]).maxTokens == 128)
        #expect(try MixedBenchmark.sampling(maxTokens: 300, environment: ["LOCO_MAX_TOKENS": "64"]).maxTokens == 300)
        #expect(try MixedBenchmark.sampling(maxTokens: nil, environment: ["LOCO_MAX_TOKENS": "64"]).maxTokens == 64)
        #expect(throws: ConfigError.self) { try MixedBenchmark.sampling(maxTokens: nil, environment: ["LOCO_MAX_TOKENS": "lots"]) }
        let sampling = try MixedBenchmark.sampling(maxTokens: nil, environment: [:])
        #expect(sampling.seed == 1 && sampling.temperature(samples: 1) == 0, "greedy with seed 1, as every pass")
        #expect(Sampling.defaultMaxTokens == 256)
    }
}
