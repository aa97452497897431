import LocoEngines
import LocoKit

/// LLM-as-judge: an engine grades each answer against a rubric, `runs` times with different
/// seeds (drawn together where the engine can), on a 1-5 scale. The score is the mean grade
/// mapped to 0-1, with each run's grade and the spread kept, because one judge sample is noise.
public struct Judge {
    public var backend: GenerationBackend
    public var rubric: String
    public var runs = 3
    public var seed = 1
    public var temperature = 0.7

    public static let defaultRubric = "Is the answer correct and does it answer the question? Judge the final answer, not the style."

    public init(backend: GenerationBackend, rubric: String = Judge.defaultRubric) {
        self.backend = backend
        self.rubric = rubric
    }

    /// A raw prompt a base model completes with a digit; chat engines read it as the user turn.
    public func prompt(question: String, answer: String, reference: String?) -> String {
        var text = "You grade answers.\nRubric: \(rubric)\n\nQuestion: \(question)\n"
        if let reference { text += "Reference answer: \(reference)\n" }
        text += "Answer to grade: \(answer)\n\nGrade from 1 (wrong) to 5 (fully correct).\nGrade:"
        return text
    }

    /// The first whole number from 1 to 5 the judge wrote, if any ("7 out of 10" is none).
    public static func grade(in text: String) -> Int? {
        text.split { !$0.isASCII || !$0.isNumber }.lazy.compactMap { Int($0) }.first { (1...5).contains($0) }
    }

    public struct Verdict: Equatable {
        public var grades: [Int?]
        public var value: Double
        public var spread: Int
    }

    public func judge(question: String, answer: String, reference: String?) throws -> Verdict {
        let text = prompt(question: question, answer: answer, reference: reference)
        let request = GenerationRequest(messages: [ChatMessage(role: "user", content: text)], prompt: text, stop: ["\n"],
                                        temperature: temperature, seed: seed, maxTokens: 4)
        let grades = try backend.generate(request, count: runs).map { Judge.grade(in: $0.text) }
        let given = grades.compactMap { $0 }
        guard !given.isEmpty else {
            throw RecordError("the judge gave no grade in \(runs) runs", field: .answer)
        }
        let mean = Double(given.reduce(0, +)) / Double(given.count)
        return Verdict(grades: grades, value: ((mean - 1) / 4 * 10_000).rounded() / 10_000, spread: given.max()! - given.min()!)
    }
}
