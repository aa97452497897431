import Foundation
import LocoAnswers
import LocoKit

/// What the gate and the mixed benchmark share about a pass's scored records: reading them back,
/// each one's score, and a group of scores as results.json gives it (to four places).
enum RecordScores {
    /// A pass's records file, one JSON object a line (a line that is not one is skipped).
    static func read(_ url: URL) throws -> [JSONObject] {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw ConfigError("cannot read \(url.path)") }
        return data.split(separator: 0x0A).compactMap { line in
            guard case .object(let record)? = try? JSONParser.parse(Array(line)) else { return nil }
            return record
        }
    }

    /// The record's score; a record that failed (an engine error) scores 0: the user got no answer.
    static func value(_ record: JSONObject) -> Double { record[.score]?.objectValue?["value"]?.doubleValue ?? 0 }

    /// The mean of scores (0 for none).
    static func mean(_ values: [Double]) -> Double { round(values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)) }

    /// Their 95% interval, the kind that fits them (`ScoreInterval`).
    static func interval(_ values: [Double]) -> JSONValue {
        ScoreInterval.ci95(values).map { [JSONValue(round($0.low)), JSONValue(round($0.high))] as JSONValue } ?? .null
    }

    static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
