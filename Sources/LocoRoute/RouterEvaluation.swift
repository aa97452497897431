import LocoKit

/// Accuracy, per-class precision/recall/F1, macro-F1 and the confusion matrix of one router on
/// labelled queries. Candidates are adapter names and `base`.
public struct RouterEvaluation {
    public let candidates: [String]
    /// `confusion[expected][routed]`, indices into `candidates`.
    public private(set) var confusion: [[Int]]
    public private(set) var total = 0

    public init(adapters: [String]) {
        candidates = adapters + [baseCandidate]
        confusion = Array(repeating: Array(repeating: 0, count: candidates.count), count: candidates.count)
    }

    public mutating func add(expected: String?, routed: String?) {
        let row = candidates.firstIndex(of: expected ?? baseCandidate)!
        let column = candidates.firstIndex(of: routed ?? baseCandidate)!
        confusion[row][column] += 1
        total += 1
    }

    public var accuracy: Double {
        total == 0 ? 0 : Double(candidates.indices.reduce(0) { $0 + confusion[$1][$1] }) / Double(total)
    }

    public struct ClassScore: Equatable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
    }

    public func score(of index: Int) -> ClassScore {
        let correct = Double(confusion[index][index])
        let routedHere = Double(candidates.indices.reduce(0) { $0 + confusion[$1][index] })
        let support = confusion[index].reduce(0, +)
        let precision = routedHere == 0 ? 0 : correct / routedHere
        let recall = support == 0 ? 0 : correct / Double(support)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        return ClassScore(precision: precision, recall: recall, f1: f1, support: support)
    }

    /// Mean F1 over the candidates that occur in the data (a class with no examples has no F1).
    public var macroF1: Double {
        let present = candidates.indices.filter { score(of: $0).support > 0 }
        return present.isEmpty ? 0 : present.reduce(0) { $0 + score(of: $1).f1 } / Double(present.count)
    }

    public func json(router: String, threshold: Double) -> JSONObject {
        [
            "router": .string(router),
            "threshold": JSONValue(threshold),
            "queries": JSONValue(total),
            "accuracy": JSONValue(RouterEvaluation.round(accuracy)),
            "macro_f1": JSONValue(RouterEvaluation.round(macroF1)),
            "labels": .array(candidates.map { .string($0) }),
            "confusion": .array(confusion.map { .array($0.map { JSONValue($0) }) }),
            "per_label": .object(JSONObject(candidates.indices.map { index in
                let s = score(of: index)
                return (candidates[index], ["precision": JSONValue(RouterEvaluation.round(s.precision)), "recall": JSONValue(RouterEvaluation.round(s.recall)),
                                            "f1": JSONValue(RouterEvaluation.round(s.f1)), "support": JSONValue(s.support)])
            })),
        ]
    }

    /// The report `loco-route eval` prints: headline, confusion matrix, per-class table.
    public func table(router: String, threshold: Double) -> String {
        let names = candidates
        let nameWidth = max(names.map(\.count).max()!, "expected \\ routed".count)
        let columnWidth = max(names.map(\.count).max()!, 6)
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + fill : fill + text
        }
        func fixed(_ value: Double) -> String {
            let scaled = Int((value * 1000).rounded())
            return "\(scaled / 1000).\(String(scaled % 1000).leftPadded(to: 3))"
        }
        var out = "\(router) router, threshold \(RouteDecision.format(threshold)), \(total) queries\n"
        out += "accuracy \(fixed(accuracy))   macro-F1 \(fixed(macroF1))\n\n"
        out += pad("expected \\ routed", nameWidth, left: true) + names.map { "  " + pad($0, columnWidth) }.joined() + "\n"
        for (row, name) in names.enumerated() {
            out += pad(name, nameWidth, left: true) + confusion[row].map { "  " + pad(String($0), columnWidth) }.joined() + "\n"
        }
        out += "\n" + pad("", nameWidth, left: true) + "  precision  recall     F1  queries\n"
        for (index, name) in names.enumerated() {
            let s = score(of: index)
            out += pad(name, nameWidth, left: true) + "  " + pad(fixed(s.precision), 9) + "  " + pad(fixed(s.recall), 6)
                + "  " + pad(fixed(s.f1), 5) + "  " + pad(String(s.support), 7) + "\n"
        }
        return out
    }

    static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}

extension String {
    func leftPadded(to width: Int, with fill: Character = "0") -> String {
        count >= width ? self : String(repeating: fill, count: width - count) + self
    }
}
