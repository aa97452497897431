import Foundation
import LocoKit

/// Leave-one-source-out: for each source of the labelled data, the classifier is trained on every
/// other source and routes that one, so each query is routed by a model that never saw its source's
/// wording. That is how a router meets queries phrased unlike its training data, which a random
/// split of the same sources cannot show. The keyword router needs no training and routes every
/// query as it is.
public struct CrossSourceEvaluation {
    /// One routed query: its source, its label, the router's choice and confidence (before any threshold).
    public struct Prediction: Sendable {
        public var source: String
        public var expected: String?
        public var routed: String?
        public var confidence: Double
        /// Each label's probability (adapter names and `base`), where the router gives them.
        public var scores: [String: Double] = [:]
        public var query = ""

        public init(source: String, expected: String?, routed: String?, confidence: Double, scores: [String: Double] = [:],
                    query: String = "") {
            self.source = source
            self.expected = expected
            self.routed = routed
            self.confidence = confidence
            self.scores = scores
            self.query = query
        }

        /// Where the query goes at `threshold`: below it, to the base model (nil), as routing does.
        public func routed(at threshold: Double) -> String? { confidence < threshold ? nil : routed }
    }

    public var adapters: [String]
    public var trainer: RouterTrainer
    /// Extra training queries every fold gets (the registry's keywords, as `loco-route train` adds).
    public var seeds: [LabelledQuery] = []
    /// Forms the registry's adapters claim: each fold's classifier routes behind them, as routing does.
    public var forms: [(form: QueryForm, adapter: String)] = []

    public init(adapters: [String], trainer: RouterTrainer = RouterTrainer()) {
        self.adapters = adapters
        self.trainer = trainer
    }

    /// The classifier's predictions, one fold per source; `progress` gets each source as its fold ends.
    public func classifierPredictions(_ queries: [LabelledQuery], progress: (String, Int, Int) -> Void = { _, _, _ in }) throws -> [Prediction] {
        let sources = CrossSourceEvaluation.sources(queries)
        var predictions: [Prediction] = []
        for (index, source) in sources.enumerated() {
            let training = queries.filter { ($0.source ?? "-") != source } + seeds
            let (model, _) = try trainer.train(training, adapters: adapters)
            let router = FormRouter(inner: ClassifierRouter(model: model), forms: forms)
            for query in queries where (query.source ?? "-") == source {
                let decision = router.route(query.query)
                predictions.append(Prediction(source: source, expected: query.adapter, routed: decision.adapter, confidence: decision.confidence,
                                              scores: decision.scores, query: query.query))
            }
            progress(source, index + 1, sources.count)
        }
        return predictions
    }

    /// The embedding head's predictions, one fold per source as for the classifier, on each
    /// query's embedding (`vectors`, in the order of `queries`). The folds see no keyword seeds.
    public func embeddingPredictions(_ queries: [LabelledQuery], vectors: [[Double]], embeddingModel: String,
                                     progress: (String, Int, Int) -> Void = { _, _, _ in }) -> [Prediction] {
        let sources = CrossSourceEvaluation.sources(queries)
        let classes = adapters + [baseCandidate]
        var predictions: [Prediction] = []
        for (index, source) in sources.enumerated() {
            let training = queries.indices.filter { (queries[$0].source ?? "-") != source }
            let head = EmbeddingHead.fit(vectors: training.map { vectors[$0] }, labels: training.map { queries[$0].adapter ?? baseCandidate },
                                         classes: classes, embeddingModel: embeddingModel)
            for i in queries.indices where (queries[i].source ?? "-") == source {
                let decision = head.decision(vectors[i])
                predictions.append(Prediction(source: source, expected: queries[i].adapter, routed: decision.adapter,
                                              confidence: decision.confidence, scores: decision.scores, query: queries[i].query))
            }
            progress(source, index + 1, sources.count)
        }
        return predictions
    }

    /// Dense and sparse together, as semantic-router's hybrid router: the two routers' class
    /// probabilities for the same query (same folds, same order) averaged, then read as either is.
    public static func hybrid(_ dense: [Prediction], _ sparse: [Prediction]) -> [Prediction] {
        zip(dense, sparse).map { d, s in
            let both = RouteDecision.averaging(d.scores, s.scores)
            return Prediction(source: d.source, expected: d.expected, routed: both.adapter, confidence: both.confidence, scores: both.scores, query: d.query)
        }
    }

    /// Any router's predictions on every query (for a router that is not trained on the data).
    public static func predictions(_ queries: [LabelledQuery], router: QueryRouter) -> [Prediction] {
        queries.map { query in
            let decision = router.route(query.query)
            return Prediction(source: query.source ?? "-", expected: query.adapter, routed: decision.adapter, confidence: decision.confidence, query: query.query)
        }
    }

    public static func sources(_ queries: [LabelledQuery]) -> [String] {
        var seen: [String] = []
        for query in queries where !seen.contains(query.source ?? "-") { seen.append(query.source ?? "-") }
        return seen
    }

    /// The pooled figures at one threshold: every query once, routed by its own fold's model.
    public func evaluation(_ predictions: [Prediction], threshold: Double) -> RouterEvaluation {
        var evaluation = RouterEvaluation(adapters: adapters)
        for p in predictions { evaluation.add(expected: p.expected, routed: p.routed(at: threshold)) }
        return evaluation
    }

    /// The share of queries sent to a wrong adapter at this threshold: the costly mistake (a
    /// specialist answering outside its field), unlike a fallback to the base model.
    public static func confidentlyWrong(_ predictions: [Prediction], threshold: Double) -> Double {
        guard !predictions.isEmpty else { return 0 }
        let wrong = predictions.filter { prediction in prediction.routed(at: threshold).map { $0 != prediction.expected } ?? false }.count
        return Double(wrong) / Double(predictions.count)
    }

    /// The threshold with the best macro-F1 on these (cross-source) predictions, from 0 to 0.9.
    public func bestThreshold(_ predictions: [Prediction]) -> (threshold: Double, macroF1: Double) {
        var best = (threshold: 0.0, macroF1: -1.0)
        for step in 0...18 {
            let threshold = Double(step) * 0.05
            let f1 = evaluation(predictions, threshold: threshold).macroF1
            if f1 > best.macroF1 + 1e-9 { best = (threshold, f1) }
        }
        return best
    }

    /// Per source: its label, its queries and the share routed right, for each router given.
    public static func perSourceTable(_ routers: [(name: String, predictions: [Prediction], threshold: Double)]) -> String {
        guard let first = routers.first else { return "" }
        let sources = sources(first.predictions.map { LabelledQuery(line: 0, query: "", adapter: $0.expected, source: $0.source) })
        var rows = [["source", "label", "queries"] + routers.map(\.name)]
        for source in sources {
            let mine = first.predictions.filter { $0.source == source }
            var row = [source, mine.first?.expected ?? baseCandidate, String(mine.count)]
            for router in routers {
                let own = router.predictions.filter { $0.source == source }
                let right = own.filter { $0.routed(at: router.threshold) == $0.expected }.count
                row.append(String(format: "%.3f", own.isEmpty ? 0 : Double(right) / Double(own.count)))
            }
            rows.append(row)
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in i < 2 ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[i] - cell.count) + cell }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
