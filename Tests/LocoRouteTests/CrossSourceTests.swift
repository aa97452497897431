import Foundation
import Testing
import LocoKit
@testable import LocoRoute

/// Leave-one-source-out: each source routed by a model that never saw it.
@Suite struct CrossSourceTests {
    static func source(_ name: String, _ adapter: String?, _ queries: [String]) -> [LabelledQuery] {
        queries.map { LabelledQuery(line: 0, query: $0, adapter: adapter, source: name) }
    }

    // Two code sources share their words; a third says the same in words nothing else uses.
    static let data = source("py-a", "code-python", (1...8).map { "write a python function that sorts list number \($0)" })
        + source("py-b", "code-python", (1...8).map { "python function to reverse a list called item\($0)" })
        + source("odd", "code-python", (1...8).map { "zorblax quindle frobnicate \($0)" })
        + source("chat-a", nil, (1...8).map { "hello friend how are you today \($0)" })
        + source("chat-b", nil, (1...8).map { "tell me about your day friend \($0)" })

    @Test func aSourceIsRoutedByAModelThatNeverSawIt() throws {
        var trainer = RouterTrainer()
        trainer.minDocumentFrequency = 2
        trainer.minSources = 1  // two sources teach each other here; the default asks for three
        let evaluation = CrossSourceEvaluation(adapters: ["code-python"], trainer: trainer)
        let predictions = try evaluation.classifierPredictions(Self.data)
        #expect(predictions.count == Self.data.count)
        #expect(CrossSourceEvaluation.sources(Self.data) == ["py-a", "py-b", "odd", "chat-a", "chat-b"])
        // Shared wording carries across sources; words only "odd" uses cannot be learned without it.
        let right = { (source: String) in predictions.filter { $0.source == source && $0.routed == $0.expected }.count }
        #expect(right("py-a") == 8 && right("py-b") == 8 && right("chat-a") == 8)
        #expect(right("odd") == 0)
        // Trained on everything (the in-source view), the same queries look perfectly routed.
        let (model, _) = try trainer.train(Self.data, adapters: ["code-python"])
        let inSource = CrossSourceEvaluation.predictions(Self.data.filter { $0.source == "odd" }, router: ClassifierRouter(model: model))
        #expect(inSource.allSatisfy { $0.routed == "code-python" })
    }

    @Test func minSourcesKeepsOnlyWordsThatManySourcesUse() throws {
        var trainer = RouterTrainer()
        trainer.minDocumentFrequency = 2
        trainer.pruneBelow = 0
        func vocabulary(_ minSources: Int, _ data: [LabelledQuery] = Self.data) throws -> Set<String> {
            var trainer = trainer
            trainer.minSources = minSources
            return Set(try trainer.train(data, adapters: ["code-python"]).0.featureNames)
        }
        let all = try vocabulary(1), two = try vocabulary(2), three = try vocabulary(3)
        // "zorblax" is only "odd"'s, "python" and "friend" two sources' each, a number all five's.
        #expect(all.contains("w:zorblax") && !two.contains("w:zorblax"))
        #expect(two.contains("w:python") && two.contains("w:friend") && !three.contains("w:python"))
        #expect(three.contains("w:<num>") && three.isSubset(of: two) && two.isSubset(of: all))
        #expect(RouterTrainer().minSources == 3)
        trainer.minSources = 3
        #expect(try trainer.train(Self.data, adapters: ["code-python"]).0.training["min_sources"] == JSONValue(3))
        // A query without a source (a routing-log correction) keeps its words whatever the setting.
        let unsourced = Self.data.map { LabelledQuery(line: $0.line, query: $0.query, adapter: $0.adapter) }
        #expect(try vocabulary(3, unsourced) == all)
    }

    @Test func theThresholdAndTheWrongAdapterShareComeFromThePredictions() {
        typealias P = CrossSourceEvaluation.Prediction
        let predictions = [
            P(source: "a", expected: "x", routed: "x", confidence: 0.9),
            P(source: "a", expected: nil, routed: "x", confidence: 0.2),
            P(source: "b", expected: nil, routed: nil, confidence: 0.8),
            P(source: "b", expected: "x", routed: "x", confidence: 0.6),
        ]
        #expect(CrossSourceEvaluation.confidentlyWrong(predictions, threshold: 0) == 0.25)
        #expect(CrossSourceEvaluation.confidentlyWrong(predictions, threshold: 0.3) == 0)
        let evaluation = CrossSourceEvaluation(adapters: ["x"])
        let best = evaluation.bestThreshold(predictions)
        #expect(best.threshold == 0.25 && best.macroF1 == 1)
        let table = CrossSourceEvaluation.perSourceTable([("classifier", predictions, 0.3)])
        #expect(table == "source  label  queries  classifier\na       x            2       1.000\nb       base         2       1.000\n")
    }
}
