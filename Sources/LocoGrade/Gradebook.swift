import Foundation
import LocoKit
import LocoScore

/// `loco grade KEY STUDENTS...`: every student's answers scored against the teacher's key, each
/// question with its own metric (the key's `metric`, else `auto`), code answers in the sandbox.
public struct Gradebook {
    public struct Question: Sendable {
        public var id: String
        public var record: JSONObject
    }

    public struct Student {
        public var name: String
        /// Per question id: the scored record (`score`, or `error` when it could not be scored).
        public var records: [String: JSONObject] = [:]
        public var notes: [String] = []

        public func value(_ id: String) -> Double { records[id]?[.score]?.objectValue?["value"]?.doubleValue ?? 0 }
    }

    public var questions: [Question]
    public var students: [Student] = []
    /// Files that could not be read as answers: each with the one line that says why. The rest
    /// of the class is graded all the same.
    public var ungraded: [(name: String, reason: String)] = []
    var scorer = ScoreStage()

    /// The key: one record per question with `expected` (or `tests`), from any problem-set file.
    public init(key path: String, map: ColumnMap = ColumnMap()) throws {
        let (_, records) = try ProblemSetFile.records(at: path, role: .questions, map: map)
        var seen = Set<String>()
        questions = try records.map { line, record in
            let id = record[.id].map(TableWriter.cell) ?? String(line)
            guard seen.insert(id).inserted else { throw ConfigError("\(path): line \(line): question id '\(id)' appears twice in the key") }
            guard record[.expected] != nil || record[.tests] != nil else {
                throw ConfigError("\(path): line \(line): question '\(id)' has no expected answer (or tests) to grade against")
            }
            return Question(id: id, record: record)
        }
        guard !questions.isEmpty else { throw ConfigError("\(path): the key has no questions") }
    }

    /// Scores one file of answers: a student's own (named after the file), or several students'
    /// with a `student` column. Answers are matched to the key by id, else by number (the n-th
    /// question); an answer missing scores 0. The file is read a record at a time and only the
    /// answers to the key's questions are kept, so a huge file costs time, not memory. A question
    /// answered twice is graded on its later answer, and a note says so.
    public mutating func grade(_ path: String, map: ColumnMap = ColumnMap()) throws {
        let fileName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var order: [String] = []
        var answers: [String: [String: (line: Int, response: JSONObject)]] = [:]
        var notes: [String: [String]] = [:]
        var shown = 0, hidden = 0
        func note(_ name: String, _ text: String) {
            if shown < Self.shownNotes { notes[name, default: []].append(text); shown += 1 } else { hidden += 1 }
        }
        try ProblemSetFile.forEachRecord(at: path, role: .responses, map: map) { line, response in
            let name = response["student"].map(TableWriter.cell) ?? fileName
            if answers[name] == nil { order.append(name) }
            let given = response[.id].map(TableWriter.cell) ?? String(line)
            guard let question = question(for: given) else {
                note(name, "\(path): line \(line): no question '\(given.prefix(40))' in the key")
                answers[name, default: [:]] = answers[name] ?? [:]
                return
            }
            if let earlier = answers[name]?[question.id] {
                note(name, "\(path): question \(question.id) is answered twice (lines \(earlier.line) and \(line)): line \(line)'s answer is graded")
            }
            answers[name, default: [:]][question.id] = (line, response)
        }
        if hidden > 0 { notes[order.first ?? fileName, default: []].append("\(path): \(hidden) more notes like these not shown") }
        for name in order {
            var student = Student(name: name)
            student.notes = notes[name] ?? []
            for question in questions {
                var record = question.record
                record["student"] = .string(name)
                guard let (line, response) = answers[name]?[question.id] else {
                    record[.answer] = .null
                    record[.score] = ["metric": "none", "value": 0, "note": "no answer"]
                    student.records[question.id] = record
                    continue
                }
                record[.answer] = response[.answer] ?? .null
                do {
                    try scorer.process(&record, line: line)
                } catch {
                    record[.error] = ["stage": "loco-grade", "message": .string("\(error)"), "line": JSONValue(line)]
                    student.notes.append("\(path): line \(line): question \(question.id): \(error)")
                }
                student.records[question.id] = record
            }
            students.append(student)
        }
    }

    /// `grade`, and a file that cannot be read becomes a row marked not graded instead of
    /// stopping the class.
    public mutating func gradeOrNote(_ path: String, map: ColumnMap = ColumnMap()) {
        do {
            try grade(path, map: map)
        } catch {
            ungraded.append((((path as NSString).lastPathComponent as NSString).deletingPathExtension, "\(error)"))
        }
    }

    /// Notes shown per file (answers to no question, questions answered twice), before a count of the rest.
    static let shownNotes = 20

    func question(for id: String) -> Question? {
        if let exact = questions.first(where: { $0.id == id }) { return exact }
        if let n = Int(id.filter(\.isNumber)), id.filter(\.isNumber).count == id.filter({ !$0.isWhitespace }).count || id.lowercased().hasPrefix("q"),
           (1...questions.count).contains(n) {
            return questions[n - 1]
        }
        return nil
    }
}
