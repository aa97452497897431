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
    /// question); an answer missing scores 0.
    public mutating func grade(_ path: String, map: ColumnMap = ColumnMap()) throws {
        let (_, records) = try ProblemSetFile.records(at: path, role: .responses, map: map)
        let fileName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var order: [String] = []
        var byStudent: [String: [(Int, JSONObject)]] = [:]
        for (line, record) in records {
            let name = record["student"].map(TableWriter.cell) ?? fileName
            if byStudent[name] == nil { order.append(name) }
            byStudent[name, default: []].append((line, record))
        }
        for name in order {
            var student = Student(name: name)
            for (line, response) in byStudent[name] ?? [] {
                let given = response[.id].map(TableWriter.cell) ?? String(line)
                guard let question = question(for: given) else {
                    student.notes.append("\(path): line \(line): no question '\(given)' in the key")
                    continue
                }
                var record = question.record
                record[.answer] = response[.answer] ?? .null
                record["student"] = .string(name)
                do {
                    try scorer.process(&record, line: line)
                } catch {
                    record[.error] = ["stage": "loco-grade", "message": .string("\(error)"), "line": JSONValue(line)]
                    student.notes.append("\(path): line \(line): question \(question.id): \(error)")
                }
                student.records[question.id] = record
            }
            for question in questions where student.records[question.id] == nil {
                var record = question.record
                record[.answer] = .null
                record["student"] = .string(name)
                record[.score] = ["metric": "none", "value": 0, "note": "no answer"]
                student.records[question.id] = record
            }
            students.append(student)
        }
    }

    func question(for id: String) -> Question? {
        if let exact = questions.first(where: { $0.id == id }) { return exact }
        if let n = Int(id.filter(\.isNumber)), id.filter(\.isNumber).count == id.filter({ !$0.isWhitespace }).count || id.lowercased().hasPrefix("q"),
           (1...questions.count).contains(n) {
            return questions[n - 1]
        }
        return nil
    }
}
