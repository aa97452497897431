import Foundation
import Testing
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
