import Foundation
import LocoKit

/// The mixed benchmark's results (`loco eval --mixed`, bench/mixed/results.json) as the table
/// `loco eval --mixed` prints and the one `loco report` leads with.
public enum MixedTable {
    static func configs(_ results: JSONObject) -> [JSONObject] { (results["configs"]?.arrayValue ?? []).compactMap(\.objectValue) }
    static func domains(_ results: JSONObject) -> [String] { configs(results).first?["domains"]?.objectValue?.keys.sorted() ?? [] }

    static func cell(_ measured: JSONValue?) -> String {
        guard let m = measured?.objectValue, let score = m["score"]?.doubleValue else { return "n/a" }
        let ci = m["ci95"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        return String(format: "%.2f", score) + (ci.count == 2 ? String(format: " [%.2f, %.2f]", ci[0], ci[1]) : "")
    }

    static func body(_ results: JSONObject) -> [[String]] {
        let domains = domains(results)
        return configs(results).map { c in
            [c["label"]?.stringValue ?? "?", cell(c["overall"])] + domains.map { cell(c["domains"]?.objectValue?[$0]) }
        }
    }

    /// `routing on these 360 questions: macro-F1 …`, or nil before the routed pass ran.
    static func routingLine(_ results: JSONObject) -> String? {
        guard let items = results["benchmark"]?.objectValue?["items"], let r = results["routing"]?.objectValue else { return nil }
        return "routing on these \(JSONWriter.string(items)) questions: macro-F1 \(format(r["macro_f1"])), accuracy \(format(r["accuracy"])), "
            + "to a wrong adapter \(percent(r["to_a_wrong_adapter"])) (with confidence 0.5 or more \(percent(r["confidently_to_a_wrong_adapter"])))"
    }

    public static func lines(_ results: JSONObject) -> [String] {
        let header = ["", "overall"] + domains(results)
        let body = body(results)
        let widths = header.indices.map { i in ([header] + body).map { $0[i].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, text in
                i == 0 ? text.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: widths[i] - text.count) + text
            }.joined(separator: "  ")
        }
        return [line(header)] + body.map(line) + [routingLine(results)].compactMap { $0 }
    }

    /// The same as a Markdown table, with where it came from.
    public static func markdown(_ results: JSONObject) -> String {
        let header = ["", "overall"] + domains(results)
        var text = "| " + header.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: header.count) + "\n"
        for row in body(results) { text += "| " + row.joined(separator: " | ") + " |\n" }
        let benchmark = results["benchmark"]?.objectValue
        let file = benchmark?["file"]?.stringValue.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "?"
        let tokens = results["settings"]?.objectValue?["max_tokens"].map { JSONWriter.string($0) } ?? "?"
        text += "\n\(JSONWriter.string(benchmark?["items"] ?? .null)) questions (\(file)) from sources no adapter or router trained on; "
            + "each scored by its own metric, brackets are 95% intervals (Wilson for right-or-wrong, bootstrap for means), "
            + "\(tokens) tokens.\n"
        if let routing = routingLine(results) { text += "\n" + routing.prefix(1).uppercased() + routing.dropFirst() + ".\n" }
        return text
    }

    static func format(_ value: JSONValue?) -> String { value?.doubleValue.map { String(format: "%.3f", $0) } ?? "n/a" }
    static func percent(_ value: JSONValue?) -> String { value?.doubleValue.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a" }
}
