import Foundation
import LocoKit

/// Trains a `RouterModel`: multinomial logistic regression by stochastic gradient descent over
/// `TextFeatures`, classes weighted by inverse frequency (so a small domain is not drowned out,
/// which is what macro-F1 measures), seeded so the same data gives the same model.
public struct RouterTrainer {
    public var epochs = 30
    public var learningRate = 0.5
    /// Chosen with the threshold on the development half of the leave-one-source-out folds
    /// (docs/routing.md): 1e-5 memorised each source's template words.
    public var l2 = 1e-4
    /// A feature seen in fewer training queries than this is noise, not vocabulary.
    public var minDocumentFrequency = 3
    /// A feature seen in fewer sources than this is not vocabulary: a word only one source uses
    /// is that source's template, and it cannot help route a source the model never saw (chosen on
    /// the development half of the leave-one-source-out folds, docs/routing.md). A feature that a
    /// query without a source uses (a routing-log correction, a user's own data) is always kept.
    public var minSources = 3
    /// Rows whose every weight is smaller than this are dropped from the saved model.
    public var pruneBelow = 0.1
    public var seed: UInt64 = 1
    /// How queries become features (`TextFeatures.Reading`); the model keeps it.
    public var reading = TextFeatures.Reading.whole

    public init() {}

    public struct Report {
        public var examples: Int
        public var vocabulary: Int
        public var kept: Int
        public var finalLoss: Double
        public var lossByEpoch: [Double]
    }

    /// `labels`: the adapters to learn, in the order the model keeps them; the base model (nil)
    /// is always the last label.
    public func train(_ examples: [LabelledQuery], adapters: [String], progress: (Int, Double) -> Void = { _, _ in }) throws -> (RouterModel, Report) {
        let labels: [String?] = adapters.map { $0 } + [nil]
        let width = labels.count
        guard !examples.isEmpty else { throw ConfigError("no training queries") }
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($0.element ?? baseCandidate, $0.offset) })

        let named = examples.map { TextFeatures.named($0.query, reading: reading) }
        var documentFrequency: [String: Int] = [:]
        for features in named { for name in features.keys { documentFrequency[name, default: 0] += 1 } }
        var sources: [String: Set<String>] = [:]
        var unsourced: Set<String> = []
        for (features, example) in zip(named, examples) {
            for name in features.keys where documentFrequency[name]! >= minDocumentFrequency {
                if let source = example.source { sources[name, default: []].insert(source) } else { unsourced.insert(name) }
            }
        }
        let vocabulary = documentFrequency.keys.filter { name in
            documentFrequency[name]! >= minDocumentFrequency && (unsourced.contains(name) || sources[name, default: []].count >= minSources)
        }.sorted()
        let rowOf = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($0.element, $0.offset) })
        let vectors: [[(Int, Double)]] = named.map { features in
            features.compactMap { name, value in rowOf[name].map { ($0, value) } }.sorted { $0.0 < $1.0 }
        }
        let targets = examples.map { labelIndex[$0.adapter ?? baseCandidate]! }
        var classCounts = [Int](repeating: 0, count: width)
        for target in targets { classCounts[target] += 1 }
        let classWeight = classCounts.map { $0 == 0 ? 0 : Double(examples.count) / Double(width * $0) }

        var weights = [Double](repeating: 0, count: vocabulary.count * width)
        var bias = [Double](repeating: 0, count: width)
        var generator = SplitMix64(seed: seed)
        var order = Array(examples.indices)
        var lossByEpoch: [Double] = []
        var scores = [Double](repeating: 0, count: width)
        for epoch in 0..<epochs {
            order.shuffle(using: &generator)
            let rate = learningRate / (1 + Double(epoch) * 0.2)
            var loss = 0.0
            for example in order {
                let vector = vectors[example]
                for label in 0..<width { scores[label] = bias[label] }
                for (row, value) in vector {
                    for label in 0..<width { scores[label] += value * weights[row * width + label] }
                }
                let top = scores.max()!
                var total = 0.0
                for label in 0..<width { scores[label] = exp(scores[label] - top); total += scores[label] }
                let target = targets[example]
                let scale = classWeight[target]
                loss -= scale * log(max(scores[target] / total, 1e-12))
                for label in 0..<width {
                    let gradient = scale * (scores[label] / total - (label == target ? 1 : 0))
                    bias[label] -= rate * gradient
                    for (row, value) in vector {
                        let index = row * width + label
                        weights[index] -= rate * (gradient * value + l2 * weights[index])
                    }
                }
            }
            lossByEpoch.append(loss / Double(examples.count))
            progress(epoch + 1, loss / Double(examples.count))
        }

        var keptNames: [String] = []
        var keptWeights: [Double] = []
        for (row, name) in vocabulary.enumerated() {
            let slice = weights[(row * width)..<((row + 1) * width)]
            guard slice.contains(where: { abs($0) >= pruneBelow }) else { continue }
            keptNames.append(name)
            keptWeights.append(contentsOf: slice)
        }
        let training: JSONObject = [
            "examples": JSONValue(examples.count),
            "per_label": .object(JSONObject(labels.enumerated().map { ($0.element ?? baseCandidate, JSONValue(classCounts[$0.offset])) })),
            "vocabulary": JSONValue(vocabulary.count),
            "features_kept": JSONValue(keptNames.count),
            "epochs": JSONValue(epochs),
            "learning_rate": JSONValue(learningRate),
            "l2": JSONValue(l2),
            "min_document_frequency": JSONValue(minDocumentFrequency),
            "min_sources": JSONValue(minSources),
            "prune_below": JSONValue(pruneBelow),
            "seed": JSONValue(Int(seed)),
            "reads": .string(reading.rawValue),
            "final_loss": JSONValue((lossByEpoch.last! * 10_000).rounded() / 10_000),
        ]
        let model = RouterModel(labels: labels, bias: bias, featureNames: keptNames, weights: keptWeights, training: training, reading: reading)
        return (model, Report(examples: examples.count, vocabulary: vocabulary.count, kept: keptNames.count,
                              finalLoss: lossByEpoch.last!, lossByEpoch: lossByEpoch))
    }
}

/// A small seeded generator (Steele et al.'s SplitMix64): the same seed shuffles the same way
/// on every machine, which `SystemRandomNumberGenerator` cannot promise.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
