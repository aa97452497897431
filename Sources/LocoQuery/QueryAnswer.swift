import Foundation
import LocoKit

/// What `loco query` prints for a finished record:
///
///     [math-reasoning] 12 * 7 = 84. The answer is 84.
///
///     Answer: 84  (agreement 100%)
///
/// The label names the adapter that answered, or says the base model did with the adapter's
/// prompt when the adapter has no weights yet; after a vote the text is the first sample that gave
/// the winning answer, and the agreement follows the answer. An answer that is the whole text, or
/// one of several lines the text already shows whole (a code block), is not printed again.
public enum QueryAnswer {
    /// The text for stdout, or the one-line error for stderr when a stage failed.
    public static func render(_ record: JSONObject) -> Result<String, QueryFailure> {
        if let error = record[.error]?.objectValue {
            let stage = error["stage"]?.stringValue ?? "loco"
            return .failure(QueryFailure(message: "loco: \(stage): \(error["message"]?.stringValue ?? "failed")"))
        }
        let adapter = record[.adapter]?.stringValue
        var label = adapter ?? "base model"
        if let adapter, record[.lora] == nil {
            label = "\(adapter): no weights yet, the base model answered with its prompt"
        }
        let samples = record[.samples]?.arrayValue ?? []
        // After a vote, the first sample that gave the winning answer, so the text agrees with it.
        let answers = record[.answers]?.arrayValue ?? []
        let shown = record[.answer]?.stringValue.flatMap { winner in answers.firstIndex { $0.stringValue == winner } } ?? 0
        let text = (shown < samples.count ? samples[shown] : samples.first)?.objectValue?["text"]?.stringValue ?? ""
        let answer = record[.answer].map { $0.stringValue ?? JSONWriter.string($0) } ?? "null"
        let said = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // An answer the text already is (a label, a rewritten sentence), or code (any answer of
        // several lines) the text shows, is not printed twice.
        let stated = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        let repeated = said == stated || (answer.contains("\n") && said.contains(stated))
        var out = "[\(label)] \(said)" + (repeated ? "" : "\n\nAnswer: \(answer)")
        if samples.count > 1, let agreement = record[.agreement]?.doubleValue {
            out += (repeated ? "\n\n" : "  ") + "(agreement \(Int((agreement * 100).rounded(.down)))%)"
        }
        return .success(out)
    }
}

public struct QueryFailure: Error, Equatable {
    public var message: String
    public init(message: String) { self.message = message }
}
