import Foundation
import Testing
@testable import LocoKit
@testable import LocoRoute
import LocoTestSupport

@Suite struct KeywordRouterTests {
    @Test func bestKeywordScoreWins() throws {
        let router = KeywordRouter(registry: try testRegistry())
        let d = router.route("Calculate how many apples are left")
        #expect(d.adapter == "math-reasoning")
        #expect(d.scores["math-reasoning"] == 3)
        #expect(d.confidence == 1)
    }

    @Test func keywordsMatchWholeWordsOnly() throws {
        let router = KeywordRouter(registry: try testRegistry())
        // "sum" must not fire inside "summarize".
        let d = router.route("Please summarize this essay")
        #expect(d.adapter == "writing-academic")
        #expect(d.scores["math-reasoning"] == nil)
        #expect(d.evidence.map(\.feature).sorted() == ["essay", "summarize"])
    }

    @Test func phrasesMatchAsConsecutiveWords() throws {
        let router = KeywordRouter(registry: try testRegistry())
        #expect(router.route("How many eggs?").scores["math-reasoning"] == 1)
        #expect(router.route("Many people ask how").scores["math-reasoning"] == nil)
        #expect(router.route("how, many").scores["math-reasoning"] == 1, "punctuation between the words does not break a phrase")
    }

    @Test func percentSignIsAWordOfItsOwn() {
        #expect(KeywordRouter.words("what is 15% of c++?") == ["what", "is", "15", "%", "of", "c++"])
    }

    @Test func operatorsAreWordsButAHyphenInsideAWordIsNot() {
        #expect(KeywordRouter.words("18/3*2 - 2^3 = 7-1") == ["18", "/", "3", "*", "2", "-", "2", "^", "3", "=", "7", "-", "1"])
        #expect(KeywordRouter.words("a well-known x -y") == ["a", "well", "known", "x", "y"])
        #expect(KeywordRouter.words("-4 minus -") == ["-", "4", "minus", "-"])
    }

    @Test func noHitMeansTheBaseModel() throws {
        let router = KeywordRouter(registry: try testRegistry())
        let d = router.route("Who painted the Mona Lisa?")
        #expect(d.adapter == nil)
        #expect(d.confidence == 0)
        #expect(d.evidence.isEmpty)
    }

    @Test func aTieGoesToTheBaseModelAndSaysWho() throws {
        let router = KeywordRouter(registry: try testRegistry())
        let tie = router.route("sum up the essay")
        #expect(tie.adapter == nil)
        #expect(tie.confidence == 0)
        #expect(tie.fallback == "tie between math-reasoning and writing-academic at 1")
    }

    @Test func confidenceIsTheWinnersLeadAndTheThresholdSendsCloseCallsToTheBase() throws {
        let router = KeywordRouter(registry: try testRegistry())
        // math: calculate 2 + sum 1 = 3; writing: essay 1 -> lead (3 - 1) / 3.
        let d = router.route("calculate the sum for my essay")
        #expect(d.adapter == "math-reasoning")
        #expect(abs(d.confidence - 2.0 / 3.0) < 1e-9)
        #expect(d.applying(threshold: 0.6).adapter == "math-reasoning")
        let low = d.applying(threshold: 0.7)
        #expect(low.adapter == nil)
        #expect(low.fallback == "math-reasoning led with confidence 0.667, below the threshold 0.7")
    }

    @Test func aDecisionByAStandInRouterMeetsThatRoutersOwnThreshold() throws {
        var d = KeywordRouter(registry: try testRegistry()).route("calculate the sum for my essay")
        d.threshold = 0.6  // as when the classifier routes for an embedding router whose engine is down
        #expect(d.applying(threshold: 0.7).adapter == "math-reasoning", "the stand-in's 0.6, not the asked-for 0.7")
        d.threshold = 0.7
        #expect(d.applying(threshold: 0.1).fallback == "math-reasoning led with confidence 0.667, below the threshold 0.7")
    }

    @Test func emptyAndNonEnglishQueriesGoToTheBaseModel() throws {
        let router = KeywordRouter(registry: try testRegistry())
        #expect(router.route("").adapter == nil)
        #expect(router.route("   ").adapter == nil)
        #expect(router.route("¿Cuál es la capital de Francia?").adapter == nil)
        #expect(router.route("法国的首都是哪里？").adapter == nil)
    }
}

@Suite struct RouteStageTests {
    @Test func recordAdapterBeatsForcedAdapterBeatsRouter() throws {
        var stage = try RouteStage(registry: testRegistry(), forcedAdapter: "writing-academic")
        let (lines, _) = try runStage(&stage, input: """
            {"query":"calculate 2+2","adapter":"math-reasoning"}
            {"query":"calculate 2+2"}
            {"query":"calculate 2+2","adapter":null}
            {"query":"x","adapter":"nope"}

            """)
        #expect(try object(lines[0])["adapter"] == "math-reasoning")
        #expect(try object(lines[1])["adapter"] == "writing-academic")
        #expect(try object(lines[1])["route"]?.objectValue?["router"] == "forced")
        #expect(try object(lines[2])["adapter"] == .null)
        #expect(try object(lines[3])["error"]?.objectValue?["field"] == "adapter")
    }

    @Test func unknownForcedAdapterIsAConfigurationError() throws {
        #expect(throws: ConfigError.self) { try RouteStage(registry: testRegistry(), forcedAdapter: "nope") }
    }

    @Test func explainListsWhatFiredAndTheThresholdUsed() throws {
        var stage = try RouteStage(registry: testRegistry(), threshold: 0.5, explain: true)
        let (lines, _) = try runStage(&stage, input: #"{"query":"calculate how many"}"# + "\n" + #"{"query":"sum up the essay"}"# + "\n")
        let route = try #require(try object(lines[0])["route"]?.objectValue)
        #expect(route["threshold"] == 0.5)
        let fired = try #require(route["explain"]?.arrayValue).compactMap { $0.objectValue?["feature"]?.stringValue }
        #expect(fired.sorted() == ["calculate", "how many"])
        let tie = try #require(try object(lines[1])["route"]?.objectValue)
        #expect(tie["fallback"] == "tie between math-reasoning and writing-academic at 1")
    }

    @Test func aModelThatChoosesAnAdapterTheRegistryLacksIsARecordError() throws {
        let model = RouterModel(labels: ["elsewhere", nil], bias: [5, 0], featureNames: [], weights: [], training: [:])
        var stage = try RouteStage(registry: testRegistry(), router: ClassifierRouter(model: model))
        let (lines, outcome) = try runStage(&stage, input: #"{"query":"anything"}"# + "\n")
        #expect(outcome.errors == 1)
        #expect(try object(lines[0])["error"]?.objectValue?["field"] == "adapter")
    }
}

@Suite struct ClassifierTests {
    static let examples: [LabelledQuery] = [
        "What is 12 plus 30?", "How many apples are left if she eats 3 of 10?", "Compute 7 times 8.", "What is 45 minus 19?",
        "If a book costs 12 dollars, how much do 4 books cost?", "What is half of 64?",
    ].map { LabelledQuery(line: 0, query: $0, adapter: "math-reasoning") } + [
        "Summarize this essay about climate policy.", "Write a summary of the following article.",
        "Proofread my essay introduction.", "Paraphrase this paragraph formally.", "Summarize the abstract below.",
        "Rewrite this essay paragraph in an academic tone.",
    ].map { LabelledQuery(line: 0, query: $0, adapter: "writing-academic") } + [
        "Who painted the Mona Lisa?", "What is the capital of France?", "Who wrote Hamlet?", "Hello, how are you?",
        "Where do penguins live?", "Who was the first person on the moon?",
    ].map { LabelledQuery(line: 0, query: $0, adapter: nil) }

    static func trained(seed: UInt64 = 1) throws -> RouterModel {
        var trainer = RouterTrainer()
        trainer.minDocumentFrequency = 1
        trainer.pruneBelow = 0
        trainer.seed = seed
        return try trainer.train(examples, adapters: ["math-reasoning", "writing-academic"]).0
    }

    @Test func learnsToSeparateTheDomains() throws {
        let router = ClassifierRouter(model: try Self.trained())
        #expect(router.route("How many apples does she have left, 5 or 9?").adapter == "math-reasoning")
        #expect(router.route("Please summarize my essay").adapter == "writing-academic")
        #expect(router.route("Who painted the Sistine Chapel?").adapter == nil)
        let d = router.route("What is 3 plus 4?")
        #expect(abs(d.scores.values.reduce(0, +) - 1) < 1e-9, "scores are probabilities")
        #expect(Set(d.scores.keys) == ["math-reasoning", "writing-academic", "base"])
    }

    @Test func sameDataAndSeedGiveTheSameFile() throws {
        #expect(try Self.trained(seed: 7).serialized() == Self.trained(seed: 7).serialized())
    }

    @Test func savedModelRoutesLikeTheOneInMemory() throws {
        let model = try Self.trained()
        let reloaded = try RouterModel.parse(Data(model.serialized().utf8), source: "test")
        #expect(reloaded.labels == model.labels)
        for query in ["What is 2 plus 2?", "Summarize this", "Who is the king?"] {
            let a = model.probabilities(query), b = reloaded.probabilities(query)
            // Weights are saved to 4 decimals.
            for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-3) }
        }
    }

    @Test func explainNamesTheFeaturesThatPushedTheWinner() throws {
        let router = ClassifierRouter(model: try Self.trained(), explains: true)
        let d = router.route("Please summarize my essay")
        #expect(!d.evidence.isEmpty)
        #expect(d.evidence.allSatisfy { $0.candidate == "writing-academic" && $0.weight > 0 })
        #expect(d.evidence.contains { $0.feature == "w:summarize" || $0.feature.hasPrefix("c:") && "<summarize>".contains($0.feature.dropFirst(2)) })
    }

    @Test func aModelThatReadsTheRequestApartSavesItAndExplainsTheSplit() throws {
        var trainer = RouterTrainer()
        trainer.minDocumentFrequency = 1
        trainer.reading = .requestAndPayload
        let model = try trainer.train(Self.examples, adapters: ["math-reasoning", "writing-academic"]).0
        let text = model.serialized()
        #expect(text.contains("\"version\": 2,") && text.contains("\"reads\":\"request and payload\""))
        let read = try RouterModel.parse(Data(text.utf8), source: "m.json")
        #expect(read.reading == .requestAndPayload)
        // The file keeps weights to 4 places.
        #expect(zip(read.probabilities("Proofread: Their are 5 reason to go."), model.probabilities("Proofread: Their are 5 reason to go.")).allSatisfy { abs($0 - $1) < 1e-3 })
        let d = ClassifierRouter(model: read, explains: true).route("Proofread: Their are 5 reason to go.")
        #expect(d.split == RequestSplit(request: "Proofread:", payload: "Their are 5 reason to go.", kind: .prose, found: "after the colon"))
        // A model read whole says nothing of a split, and a version 2 file must say how it reads.
        #expect(ClassifierRouter(model: try Self.trained(), explains: true).route("Proofread: Their are 5 reason to go.").split == nil)
        #expect(throws: ConfigError.self) {
            try RouterModel.parse(Data(text.replacingOccurrences(of: "\"reads\":\"request and payload\"", with: "\"reads\":\"sideways\"").utf8), source: "m.json")
        }
    }

    @Test func anEmptyQueryGoesToTheBaseModelWithNoConfidence() throws {
        let d = ClassifierRouter(model: try Self.trained()).route("  ")
        #expect(d.adapter == nil)
        #expect(d.confidence == 0)
        #expect(d.fallback == "the query is empty")
    }

    /// The fast reader of the weights must give exactly what the strict JSON reader gives.
    @Test func theFastReaderAgreesWithTheStrictOneOnTheShippedModel() throws {
        let url = checkoutRoot.appendingPathComponent("adapters/router/model.json")
        let bytes = [UInt8](try Data(contentsOf: url))
        let fast = try #require(try RouterModel.fastParse(bytes, source: "model.json"), "the shipped model takes the fast path")
        let strict = try RouterModel.strictParse(bytes, source: "model.json")
        #expect(fast.featureNames.count > 5_000)
        #expect(fast.labels == strict.labels && fast.bias == strict.bias && fast.training == strict.training)
        #expect(fast.featureNames == strict.featureNames)
        #expect(fast.weights == strict.weights, "the same doubles, bit for bit")
    }

    /// Other shapes a hand-edited file may have, which the fast reader leaves to the strict one:
    /// the model is the same either way.
    @Test(arguments: ["exponent", "spacing and long digits", "escaped name"])
    func unusualWeightsReadTheSameBothWays(variant: String) throws {
        let original = try Self.trained().serialized()
        var lines = original.components(separatedBy: "\n")
        let row = try #require(lines.firstIndex { $0.hasPrefix("\"w:the\": [") })
        let numbers = lines[row].drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
        let tail = lines[row].hasSuffix(",") ? "," : ""
        switch variant {
        case "exponent": lines[row] = "\"w:the\": [\(numbers.map { String(format: "%.3e", $0) }.joined(separator: ", "))]" + tail
        case "spacing and long digits": lines[row] = "\"w:the\"  :\t[ \(numbers.map { String(format: "%.17f", $0) }.joined(separator: " ,"))  ]" + tail
        default: lines[row] = "\"w:th\\u0065\": [\(numbers.map { String($0) }.joined(separator: ", "))]" + tail
        }
        let text = Data(lines.joined(separator: "\n").utf8)
        #expect(try RouterModel.fastParse([UInt8](text), source: "m.json") == nil, "left to the strict reader")
        let read = try RouterModel.parse(text, source: "m.json")
        let strict = try RouterModel.strictParse([UInt8](text), source: "m.json")
        #expect(read.featureNames == strict.featureNames && read.weights == strict.weights)
        #expect(read.featureNames.contains("w:the"))
    }

    @Test func aModelFromANewerVersionIsRefusedClearly() throws {
        let text = try Self.trained().serialized().replacingOccurrences(of: "\"version\": 1,", with: "\"version\": 3,")
        #expect {
            try RouterModel.parse(Data(text.utf8), source: "future.json")
        } throws: { error in
            "\(error)".contains("router model future.json: written by a newer LocoLLM (model format version 3); this loco-route reads version 2")
        }
    }

    @Test(arguments: [
        (#"{"format":"something-else","version":1}"#, "not a LocoLLM router model"),
        (#"{"format":"locollm-router"}"#, "field 'version' is missing"),
        (#"{"format":"locollm-router","version":1,"labels":["a",null],"bias":[0],"weights":{}}"#, "field 'bias' must be an array of 2 numbers"),
        (#"{"format":"locollm-router","version":1,"labels":["a",null],"bias":[0,0],"weights":{"w:x":[1]}}"#, "field 'weights.w:x' must be an array of 2 numbers"),
        ("[1,2", "invalid JSON"),
    ])
    func brokenModelFilesSayWhatIsWrong(text: String, message: String) {
        #expect {
            try RouterModel.parse(Data(text.utf8), source: "m.json")
        } throws: { "\($0)".contains(message) }
    }

    @Test func featuresAreWordsBigramsAndCharacterGramsOfTheStart() {
        let features = TextFeatures.named("Sum 12 + 3")
        #expect(features["w:sum"] != nil)
        #expect(features["w:<num>"] != nil, "digit runs are one token")
        #expect(features["w:+"] != nil)
        #expect(features["b:sum <num>"] != nil)
        #expect(features["c:<su"] != nil && features["c:<sum>"] != nil)
        #expect(abs(features.values.reduce(0) { $0 + $1 * $1 } - 1) < 1e-9, "unit length")
        let long = String(repeating: "alpha ", count: 1000) + "omega"
        #expect(TextFeatures.named(long)["w:omega"] == nil, "only the first \(TextFeatures.maxBytes) bytes are read")
    }

    @Test func hexadecimalBinaryAndOctalLiteralsAreNumbersAsDigitRunsAre() {
        #expect(Set(TextFeatures.named("0xF18F - 0b101 + 0o17 - 12").keys.filter { $0.hasPrefix("w:") }) == ["w:<num>", "w:-", "w:+"])
        // Not literals: a word, a bad digit for the base, a bare prefix.
        let words = Set(TextFeatures.named("0xg1 0b102 0o8 0x oxford").keys.filter { $0.hasPrefix("w:") })
        #expect(words == ["w:0xg1", "w:0b102", "w:0o8", "w:0x", "w:oxford"])
    }
}

@Suite struct RouterEvaluationTests {
    @Test func handCheckedConfusionMatrix() {
        var evaluation = RouterEvaluation(adapters: ["code", "math"])
        // code: 3 right, 1 sent to base; math: 2 right, 1 sent to code; base: 2 right.
        for _ in 0..<3 { evaluation.add(expected: "code", routed: "code") }
        evaluation.add(expected: "code", routed: nil)
        for _ in 0..<2 { evaluation.add(expected: "math", routed: "math") }
        evaluation.add(expected: "math", routed: "code")
        for _ in 0..<2 { evaluation.add(expected: nil, routed: nil) }
        #expect(evaluation.confusion == [[3, 0, 1], [1, 2, 0], [0, 0, 2]])
        #expect(abs(evaluation.accuracy - 7.0 / 9.0) < 1e-12)
        let code = evaluation.score(of: 0)
        #expect(code == .init(precision: 0.75, recall: 0.75, f1: 0.75, support: 4))
        let math = evaluation.score(of: 1)
        #expect(math.precision == 1 && abs(math.recall - 2.0 / 3.0) < 1e-12 && abs(math.f1 - 0.8) < 1e-12)
        let base = evaluation.score(of: 2)
        #expect(abs(base.precision - 2.0 / 3.0) < 1e-12 && base.recall == 1 && abs(base.f1 - 0.8) < 1e-12)
        #expect(abs(evaluation.macroF1 - (0.75 + 0.8 + 0.8) / 3) < 1e-12)
        let table = evaluation.table(router: "test", threshold: 0.2)
        #expect(table.contains("accuracy 0.778   macro-F1 0.783"))
        #expect(table.contains("\ncode                    3       0       1\n"))
    }

    @Test func aClassWithNoQueriesDoesNotCountTowardsMacroF1() {
        var evaluation = RouterEvaluation(adapters: ["code", "math"])
        evaluation.add(expected: "code", routed: "code")
        evaluation.add(expected: nil, routed: nil)
        #expect(evaluation.macroF1 == 1)
    }
}

@Suite struct LabelledQueryTests {
    @Test func badLinesAreNamedAndSkipped() throws {
        let text = """
            {"query":"What is 2+2?","adapter":"math-reasoning"}
            {"query":"Hello"}
            not json
            {"adapter":"math-reasoning"}
            {"query":"x","adapter":"nope"}
            {"query":"y","adapter":null}

            """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("labelled-\(UUID().uuidString).jsonl")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var skipped: [String] = []
        let queries = try LabelledQuery.read(path: url.path, knownAdapters: ["math-reasoning"]) { skipped.append($0) }
        #expect(queries.map(\.line) == [1, 2, 6])
        #expect(queries.map(\.adapter) == ["math-reasoning", nil, nil])
        #expect(skipped.count == 3)
        #expect(skipped[0].hasPrefix("line 3: invalid JSON"))
        #expect(skipped[1] == "line 4, field 'query': missing field 'query'")
        #expect(skipped[2].hasPrefix("line 5, field 'adapter': unknown adapter 'nope'"))
    }
}

@Suite struct RoutingLogTests {
    func temporaryLog() throws -> RoutingLog {
        try RoutingLog(url: FileManager.default.temporaryDirectory.appendingPathComponent("routing-\(UUID().uuidString)/log.sqlite"))
    }

    @Test func appendsCorrectsAndLabelsOnlyWhatTheUserSaid() throws {
        let log = try temporaryLog()
        defer { try? FileManager.default.removeItem(at: log.url.deletingLastPathComponent()) }
        let guessed = try log.append(query: "Sort a list", adapter: nil, route: ["router": "classifier", "confidence": 0.4])
        let chosen = try log.append(query: "Add 2 and 2", adapter: "math-reasoning", route: ["router": "forced", "confidence": 1])
        let untouched = try log.append(query: "Hi", adapter: nil, route: ["router": "classifier", "confidence": 0.9])
        try log.correct(id: guessed, adapter: "code-python")
        let entries = try log.entries()
        #expect(entries.map(\.id) == [guessed, chosen, untouched])
        #expect(entries[0].correction == "code-python" && entries[0].label == .some("code-python"))
        #expect(entries[1].label == .some("math-reasoning"), "a route the user chose is a label")
        #expect(entries[2].label == nil, "the router's own guess is not")
        try log.correct(id: chosen, adapter: nil)
        #expect(try log.entries()[1].label == .some(nil), "corrected to the base model")
        #expect(try log.lastID() == untouched)
        #expect(throws: ConfigError.self) { try log.correct(id: 999, adapter: nil) }
    }

    @Test func theFileIsPrivate() throws {
        let log = try temporaryLog()
        defer { try? FileManager.default.removeItem(at: log.url.deletingLastPathComponent()) }
        let mode = try FileManager.default.attributesOfItem(atPath: log.url.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func locationAndOptOutFollowTheEnvironment() {
        #expect(RoutingLog.defaultURL(environment: ["HOME": "/h"]).path == "/h/.local/share/locollm/routing.sqlite")
        #expect(RoutingLog.defaultURL(environment: ["HOME": "/h", "XDG_DATA_HOME": "/d"]).path == "/d/locollm/routing.sqlite")
        #expect(RoutingLog.defaultURL(environment: ["LOCO_ROUTING_LOG": "/x.sqlite"]).path == "/x.sqlite")
        #expect(RoutingLog.isDisabled(environment: ["LOCO_NO_LOG": "1"]))
        #expect(!RoutingLog.isDisabled(environment: ["LOCO_NO_LOG": "0"]))
        #expect(!RoutingLog.isDisabled(environment: [:]))
    }
}
