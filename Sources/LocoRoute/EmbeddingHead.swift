import Foundation
import LocoKit

/// A linear head on sentence embeddings: a class-weighted multinomial logistic regression from a
/// query's (standardised) embedding to an adapter or the base model. Meaning, not wording, so it
/// can carry to queries phrased unlike any training source. Saved as JSON beside the word
/// classifier's model; it is only as good as the embedding model it was fitted on, which it names.
public struct EmbeddingHead: Codable, Equatable, Sendable {
    /// The embedding model the vectors came from (a head fitted on one model's vectors means
    /// nothing on another's).
    public var embeddingModel: String
    /// Adapter names, and `base` for the base model.
    public var labels: [String]
    public var mean: [Double]
    public var scale: [Double]
    /// One row of weights per label.
    public var weights: [[Double]]
    public var bias: [Double]

    enum CodingKeys: String, CodingKey {
        case labels, mean, scale, weights, bias
        case embeddingModel = "embedding_model"
    }

    public var dimensions: Int { mean.count }

    public static func load(_ url: URL) throws -> EmbeddingHead {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ConfigError("cannot read embedding head \(url.path): \(error.localizedDescription)") }
        do { return try JSONDecoder().decode(EmbeddingHead.self, from: data) } catch {
            throw ConfigError("embedding head \(url.path) is not one `loco-route train --embeddings` wrote (\(error))")
        }
    }

    /// Sorted keys and weights rounded to 6 places: the same fit gives the same file, small enough to commit.
    public func serialized() throws -> String {
        var rounded = self
        let round = { (x: Double) in (x * 1_000_000).rounded() / 1_000_000 }
        rounded.mean = mean.map(round)
        rounded.scale = scale.map(round)
        rounded.weights = weights.map { $0.map(round) }
        rounded.bias = bias.map(round)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(rounded), as: UTF8.self) + "\n"
    }

    /// Class probabilities for one embedding, in `labels` order.
    public func probabilities(_ vector: [Double]) -> [Double] {
        guard vector.count == dimensions else { return labels.map { _ in 1 / Double(max(labels.count, 1)) } }
        let x = zip(vector, zip(mean, scale)).map { ($0 - $1.0) / $1.1 }
        let z = zip(weights, bias).map { row, b in zip(row, x).reduce(b) { $0 + $1.0 * $1.1 } }
        return EmbeddingHead.softmax(z)
    }

    /// The most probable label wins; confidence is its lead over the runner-up, as the word
    /// classifier's is, so the same threshold means the same thing.
    public func decision(_ vector: [Double]) -> RouteDecision {
        let p = probabilities(vector)
        let order = p.indices.sorted { p[$0] > p[$1] }
        guard let best = order.first else { return RouteDecision(adapter: nil, scores: [:], confidence: 0) }
        let lead = p[best] - (order.count > 1 ? p[order[1]] : 0)
        let scores = Dictionary(uniqueKeysWithValues: zip(labels, p.map { ($0 * 1000).rounded() / 1000 }))
        let label = labels[best]
        return RouteDecision(adapter: label == baseCandidate ? nil : label, scores: scores, confidence: (lead * 1000).rounded() / 1000)
    }

    /// Fits the head by full-batch gradient descent, each class weighted by the inverse of its
    /// share (a class with few queries counts as much as a large one). Deterministic.
    public static func fit(vectors: [[Double]], labels: [String], classes: [String], embeddingModel: String,
                           steps: Int = 300, rate: Double = 0.5, l2: Double = 1e-3) -> EmbeddingHead {
        let n = vectors.count, d = vectors.first?.count ?? 0, k = classes.count
        var mean = [Double](repeating: 0, count: d), scale = [Double](repeating: 0, count: d)
        for v in vectors { for j in 0..<d { mean[j] += v[j] / Double(max(n, 1)) } }
        for v in vectors { for j in 0..<d { scale[j] += (v[j] - mean[j]) * (v[j] - mean[j]) / Double(max(n, 1)) } }
        scale = scale.map { $0.squareRoot() + 1e-6 }
        // Row-major n x d, and k x d weights: flat, so the loops below stay in cache.
        var x = [Double](repeating: 0, count: n * d)
        for i in 0..<n { for j in 0..<d { x[i * d + j] = (vectors[i][j] - mean[j]) / scale[j] } }
        let y = labels.map { classes.firstIndex(of: $0) ?? 0 }
        var counts = [Double](repeating: 0, count: k)
        for c in y { counts[c] += 1 }
        let classWeight = counts.map { $0 > 0 ? Double(n) / (Double(k) * $0) : 0 }
        var w = [Double](repeating: 0, count: k * d), b = [Double](repeating: 0, count: k)
        var gw = [Double](repeating: 0, count: k * d), gb = [Double](repeating: 0, count: k), z = [Double](repeating: 0, count: k)
        x.withUnsafeBufferPointer { x in
            for _ in 0..<steps {
                for i in 0..<(k * d) { gw[i] = 0 }
                for c in 0..<k { gb[c] = 0 }
                for i in 0..<n {
                    let row = i * d
                    for c in 0..<k {
                        var sum = b[c]
                        let wrow = c * d
                        for j in 0..<d { sum += w[wrow + j] * x[row + j] }
                        z[c] = sum
                    }
                    let p = softmax(z)
                    let weight = classWeight[y[i]] / Double(n)
                    for c in 0..<k {
                        let g = (p[c] - (c == y[i] ? 1 : 0)) * weight
                        gb[c] += g
                        let wrow = c * d
                        for j in 0..<d { gw[wrow + j] += g * x[row + j] }
                    }
                }
                for i in 0..<(k * d) { w[i] -= rate * (gw[i] + l2 * w[i]) }
                for c in 0..<k { b[c] -= rate * gb[c] }
            }
        }
        let rows = (0..<k).map { Array(w[($0 * d)..<(($0 + 1) * d)]) }
        return EmbeddingHead(embeddingModel: embeddingModel, labels: classes, mean: mean, scale: scale, weights: rows, bias: b)
    }

    static func softmax(_ z: [Double]) -> [Double] {
        let top = z.max() ?? 0
        let e = z.map { Foundation.exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }
}
