import Foundation
import LocoKit

/// A trained classifier router: a linear model (multinomial logistic regression) over
/// `TextFeatures`, saved as versioned JSON that a person can read.
///
///     {"format": "locollm-router", "version": 1, "labels": ["code-python", ..., null],
///      "features": {...}, "training": {...}, "bias": [...],
///      "weights": {"w:python": [2.1, -0.4, ...], ...}}
///
/// `labels` are adapter names, null for the base model; each weight row has one number per label.
public struct RouterModel: Sendable {
    public static let format = "locollm-router"
    /// 1 reads a query whole; 2 says in `features.reads` how it reads it, which a reader of
    /// version 1 cannot follow and so refuses.
    public static let version = 2

    public var labels: [String?]
    public var bias: [Double]
    public var featureNames: [String]
    /// Row-major: `weights[row * labels.count + label]`.
    public var weights: [Double]
    /// How the model was made (data, counts, hyperparameters, held-out scores): recorded, not read.
    public var training: JSONObject
    /// How a query becomes features: as it was trained, so routing sees what training saw.
    public var reading: TextFeatures.Reading
    private var rowByHash: [UInt64: Int]

    public init(labels: [String?], bias: [Double], featureNames: [String], weights: [Double], training: JSONObject, reading: TextFeatures.Reading = .whole) {
        precondition(bias.count == labels.count && weights.count == featureNames.count * labels.count)
        self.labels = labels
        self.bias = bias
        self.featureNames = featureNames
        self.weights = weights
        self.training = training
        self.reading = reading
        var rows: [UInt64: Int] = [:]
        rows.reserveCapacity(featureNames.count)
        for (row, name) in featureNames.enumerated() { rows[TextFeatures.hash(name)] = row }
        self.rowByHash = rows
    }

    public func candidateName(_ label: Int) -> String { labels[label] ?? baseCandidate }

    /// Class probabilities for `query`, in `labels` order.
    public func probabilities(_ query: String) -> [Double] {
        // Unknown features still count towards the length the vector is scaled by, as in training.
        var counts: [UInt64: Double] = [:]
        TextFeatures.forEachFeature(query, reading: reading) { counts[TextFeatures.hash($0), default: 0] += 1 }
        var scores = bias
        let width = labels.count
        for (hash, value) in TextFeatures.normalised(counts) {
            guard let row = rowByHash[hash] else { continue }
            for label in 0..<width { scores[label] += value * weights[row * width + label] }
        }
        return softmax(scores)
    }

    /// The features that added most to `label`'s score for `query`, largest first.
    public func strongestFeatures(_ query: String, for label: Int, limit: Int = 6) -> [(String, Double)] {
        var counts: [String: Double] = [:]
        TextFeatures.forEachFeature(query, reading: reading) { counts[String(decoding: $0, as: UTF8.self), default: 0] += 1 }
        let width = labels.count
        return TextFeatures.normalised(counts).compactMap { name, value -> (String, Double)? in
            guard let row = rowByHash[TextFeatures.hash(name)] else { return nil }
            let contribution = value * weights[row * width + label]
            return contribution > 0 ? (name, contribution) : nil
        }
        .sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        .prefix(limit).map { $0 }
    }

    func softmax(_ scores: [Double]) -> [Double] {
        let top = scores.max() ?? 0
        let exps = scores.map { exp($0 - top) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}

// MARK: - Reading and writing

extension RouterModel {
    public static func load(_ url: URL) throws -> RouterModel {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ConfigError("cannot read the router model \(url.path): \(error.localizedDescription)")
        }
        return try parse(data, source: url.path)
    }

    public static func parse(_ data: Data, source: String) throws -> RouterModel {
        let bytes = [UInt8](data)
        // A file the fast reader does not take, or that is wrong, gets the strict reader and its
        // exact complaint.
        if let model = try? fastParse(bytes, source: source) { return model }
        return try strictParse(bytes, source: source)
    }

    /// Every field through the JSON parser: the reference the fast reader must agree with.
    static func strictParse(_ bytes: [UInt8], source: String) throws -> RouterModel {
        func bad(_ why: String) -> ConfigError { ConfigError("router model \(source): \(why)") }
        let root: JSONObject
        do {
            guard let object = try JSONParser.parse(bytes).objectValue else { throw bad("not a JSON object") }
            root = object
        } catch let error as ConfigError { throw error } catch { throw bad("\(error)") }
        guard root["format"]?.stringValue == format else {
            throw bad("not a LocoLLM router model (no \"format\": \"\(format)\")")
        }
        guard let version = root["version"]?.intValue else { throw bad("field 'version' is missing or not an integer") }
        if version > RouterModel.version {
            throw bad("written by a newer LocoLLM (model format version \(version)); this loco-route reads version \(RouterModel.version). Upgrade LocoLLM, or retrain with `loco-route train`")
        }
        guard version >= 1 else { throw bad("unknown model format version \(version)") }
        var reading = TextFeatures.Reading.whole
        if version >= 2 {
            let reads = root["features"]?.objectValue?["reads"]?.stringValue
            guard let known = reads.flatMap(TextFeatures.Reading.init(rawValue:)) else {
                throw bad("field 'features.reads' must be \"whole\" or \"request and payload\"")
            }
            reading = known
        }
        guard let labelValues = root["labels"]?.arrayValue, !labelValues.isEmpty else { throw bad("field 'labels' must be a non-empty array") }
        let labels: [String?] = try labelValues.map { value in
            if value.isNull { return nil }
            guard let name = value.stringValue else { throw bad("field 'labels' holds \(value.typeName), expected adapter names or null") }
            return name
        }
        func numbers(_ value: JSONValue?, _ field: String) throws -> [Double] {
            guard let array = value?.arrayValue, array.count == labels.count else {
                throw bad("field '\(field)' must be an array of \(labels.count) numbers (one per label)")
            }
            return try array.map { guard let number = $0.doubleValue else { throw bad("field '\(field)' holds \($0.typeName), expected a number") }; return number }
        }
        let bias = try numbers(root["bias"], "bias")
        guard let weightObject = root["weights"]?.objectValue else { throw bad("field 'weights' must be an object of feature: [numbers]") }
        var names: [String] = []
        var weights: [Double] = []
        names.reserveCapacity(weightObject.count)
        weights.reserveCapacity(weightObject.count * labels.count)
        for (name, row) in weightObject {
            names.append(name)
            weights.append(contentsOf: try numbers(row, "weights.\(name)"))
        }
        return RouterModel(labels: labels, bias: bias, featureNames: names, weights: weights,
                           training: root["training"]?.objectValue ?? JSONObject(), reading: reading)
    }

    /// The sha256 of the model as `serialized()` writes it: what a record routed by it depends on.
    public var fingerprint: String { sha256Hex(of: serialized()) }

    /// Versioned JSON, one feature per line so a diff of two models reads well.
    public func serialized() -> String {
        func number(_ value: Double) -> String { JSONWriter.string(JSONValue((value * 10_000).rounded() / 10_000)) }
        let width = labels.count
        var out = "{\n"
        out += "\"format\": \(JSONWriter.string(.string(RouterModel.format))),\n"
        out += "\"version\": \(reading == .whole ? 1 : RouterModel.version),\n"
        out += "\"labels\": \(JSONWriter.string(.array(labels.map { JSONValue($0) }))),\n"
        out += "\"features\": \(JSONWriter.string(["words": "lower-cased ASCII words, <num> for digit runs and 0x, 0b, 0o literals, each punctuation mark a token", "word_ngrams": [1, 2], "char_ngrams": [JSONValue(TextFeatures.charGramSizes.lowerBound), JSONValue(TextFeatures.charGramSizes.upperBound)], "max_bytes": JSONValue(TextFeatures.maxBytes), "weighting": "1 + ln(count), L2-normalised", "reads": .string(reading.rawValue)])),\n"
        out += "\"training\": \(JSONWriter.string(.object(training))),\n"
        out += "\"bias\": [\(bias.map(number).joined(separator: ", "))],\n"
        out += "\"weights\": {"
        let order = featureNames.indices.sorted { featureNames[$0] < featureNames[$1] }
        for (position, row) in order.enumerated() {
            let values = (0..<width).map { number(weights[row * width + $0]) }.joined(separator: ", ")
            out += (position == 0 ? "\n" : ",\n") + "\(JSONWriter.string(.string(featureNames[row]))): [\(values)]"
        }
        out += "\n}\n}\n"
        return out
    }
}
