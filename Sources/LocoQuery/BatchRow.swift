import Foundation
import LocoKit

/// What `loco run` shows of a finished record: one tab-separated row, always one line (newlines
/// in a cell shown as ⏎, a long cell cut with …; the whole text is in OUT).
///   id, adapter (base for the base model), the answer's first 40 characters, and the verdict:
///   ok, wrong (expected ...), wrong (why the code failed its tests), score 0.43 (for a share
///   such as ROUGE-L), or unscored; an error record is `id  ERROR  stage: message`.
public enum BatchRow {
    public static func line(_ record: JSONObject) -> String {
        if let error = record[.error]?.objectValue {
            let id = record[.id].flatMap(shown) ?? "line \(error["line"].flatMap(shown) ?? "?")"
            let stage = error["stage"]?.stringValue ?? "?", message = error["message"]?.stringValue ?? ""
            return [id, "ERROR", "\(stage): \(message)"].map { cell($0, 200) }.joined(separator: "\t")
        }
        let id = record[.id].flatMap(shown) ?? "-"
        let adapter = record[.adapter]?.stringValue ?? "base"
        let answer = shown(record[.answer] ?? .null) ?? "null"
        return [cell(id, 40), adapter, cell(answer, 40), cell(verdict(record), 120)].joined(separator: "\t")
    }

    /// One cell of a row: on one line, at most `width` characters.
    static func cell(_ text: String, _ width: Int) -> String {
        let flat = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\r\n", with: "⏎").replacingOccurrences(of: "\n", with: "⏎")
            .replacingOccurrences(of: "\r", with: "⏎").replacingOccurrences(of: "\t", with: " ")
        return flat.count > width ? String(flat.prefix(width - 1)) + "…" : flat
    }

    static func verdict(_ record: JSONObject) -> String {
        guard let score = record[.score]?.objectValue, let value = score["value"]?.doubleValue else { return "unscored" }
        switch score["metric"]?.stringValue {
        case "rouge_l", "token_f1", "pass@k":
            return "score \(JSONWriter.string(JSONValue((value * 100).rounded() / 100)))"
        case "pass@1":
            return value == 1 ? "ok" : "wrong (\(score["runs"]?.arrayValue?.first?.stringValue ?? "tests failed"))"
        default:
            return value == 1 ? "ok" : "wrong (expected \(shown(record[.expected] ?? .null) ?? "null"))"
        }
    }

    /// A string as itself, anything else as JSON.
    static func shown(_ value: JSONValue) -> String? {
        value.stringValue ?? JSONWriter.string(value)
    }
}

/// The counts behind `loco run`'s last line and its exit status.
public struct BatchTally: Equatable {
    public var records = 0
    public var errors = 0
    public var scored = 0
    public var correct = 0.0
    /// Each scored record's value, for an interval that fits the metric (`ScoreInterval`).
    public var values: [Double] = []
    /// Scored records whose value is below 1.
    public var wrong = 0

    public init() {}

    public mutating func add(_ record: JSONObject) {
        records += 1
        if record.hasError { errors += 1; return }
        guard let value = record[.score]?.objectValue?["value"]?.doubleValue else { return }
        scored += 1
        correct += value
        values.append(value)
        if value < 1 { wrong += 1 }
    }

    public var accuracy: Double? { scored == 0 ? nil : correct / Double(scored) }

    /// `accuracy 0.58 (7 of 12 scored, 12 records, 0 errors, seed 1) — records in OUT`; with
    /// partial scores, `accuracy 0.30 (29.2 of 98 scored, …)`.
    public func summary(output: String, seed: Int?) -> String {
        let rounded = accuracy.map { String(format: "%.2f", $0) } ?? "n/a"
        let earned = correct == correct.rounded() ? String(Int(correct)) : String(format: "%.1f", correct)
        return "accuracy \(rounded) (\(earned) of \(scored) scored, \(records) records, \(errors) errors"
            + (seed.map { ", seed \($0)" } ?? "") + ") — records in \(output)"
    }

    /// 0 when every record was answered and every scored answer was right; 1 otherwise.
    public var exitCode: Int32 { errors > 0 || wrong > 0 ? 1 : 0 }
}

/// `loco run --format csv|tsv`: the finished records as a spreadsheet, one row each.
public enum BatchTable {
    public static let header = ["id", "query", "adapter", "answer", "expected", "metric", "score", "error"]

    public static func write(records path: String, to output: String, delimiter: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError("cannot read \(path)") }
        var rows: [[String]] = []
        for line in data.split(separator: 0x0A) {
            guard case .object(let record)? = try? JSONParser.parse(Array(line)) else { continue }
            let score = record[.score]?.objectValue
            rows.append([TableWriter.cell(record[.id]), TableWriter.cell(record[.query]), record[.adapter]?.stringValue ?? "base",
                         TableWriter.cell(record[.answer]), TableWriter.cell(record[.expected]), TableWriter.cell(score?["metric"]),
                         TableWriter.cell(score?["value"]), TableWriter.cell(record[.error]?.objectValue?["message"])])
        }
        let table = try TableWriter.write(rows: rows, header: header, delimiter: delimiter)
        try OutputFile.replace(output, with: [UInt8](table))
    }
}
