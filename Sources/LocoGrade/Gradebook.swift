import Foundation
import LocoKit
import LocoAnswers
import LocoQuery
import LocoScore
import LocoSandbox

/// `loco grade KEY STUDENTS...`: every student's answers scored against the teacher's key, each
/// question with its own metric (the key's `metric`, else `auto`), code answers in the sandbox.
public struct Gradebook {
    public struct Question: Sendable {
        public var id: String
        public var record: JSONObject
        /// What the question is worth (the key's `marks` / `points` column; 1 without one).
        public var marks: Double { record["marks"].flatMap { $0.doubleValue ?? $0.stringValue.flatMap(Double.init) } ?? 1 }
    }

    public struct Student {
        public var name: String
        /// Per question id: the scored record (`score`, or `error` when it could not be scored).
        public var records: [String: JSONObject] = [:]
        public var notes: [String] = []

        public func value(_ id: String) -> Double { records[id]?[.score]?.objectValue?["value"]?.doubleValue ?? 0 }
        /// Left unanswered: shown blank in the grade book, worth 0.
        public func skipped(_ id: String) -> Bool { records[id]?[.score]?.objectValue?["metric"]?.stringValue == "none" }
    }

    public var questions: [Question]
    public var students: [Student] = []
    /// Files that could not be read as answers: each with the one line that says why. The rest
    /// of the class is graded all the same.
    public var ungraded: [(name: String, reason: String)] = []
    /// Whether a one-word answer may be misspelt a little (`--typos allow`, the default).
    public var typos = true

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
            try Self.check(record, id: id, line: line, path: path)
            return Question(id: id, record: record)
        }
        guard !questions.isEmpty else { throw ConfigError("\(path): the key has no questions") }
        try Self.checkTestsParse(questions, path: path)
    }

    /// Every question's tests are Python that parses, found before any student's code runs
    /// against them: parsed (never run) by the system's Python, all at once.
    static func checkTestsParse(_ questions: [Question], path: String) throws {
        var tests: [JSONValue] = []
        for question in questions where question.record[.tests] != nil {
            let listed = (try? CodeExecution.tests(of: question.record).tests) ?? []
            tests += listed.map { ["id": .string(question.id), "test": .string($0)] }
        }
        guard !tests.isEmpty, FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return }
        let script = """
            import ast, json, sys
            for item in json.load(sys.stdin):
                try:
                    ast.parse(item["test"])
                except SyntaxError as error:
                    print(json.dumps({"id": item["id"], "line": error.lineno, "message": error.msg}))
                    break
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-I", "-S", "-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(JSONWriter.serialize(.array(tests))))
        try input.fileHandleForWriting.close()
        let reply = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard case .object(let failure)? = try? JSONParser.parse([UInt8](reply)), let id = failure["id"]?.stringValue else { return }
        throw ConfigError("\(path): question '\(id)': its tests are not Python that parses (\(failure["message"]?.stringValue ?? "syntax error") at line \(failure["line"].map(JSONWriter.string) ?? "?") of the test)")
    }

    /// A key's question is checked whole before any student is graded: its metric is one there
    /// is, its marks a number, its expected choice one of its options.
    static func check(_ record: JSONObject, id: String, line: Int, path: String) throws {
        let at = "\(path): line \(line): question '\(id)'"
        do { _ = try ScoreStage.metric(of: record) } catch { throw ConfigError("\(at): \(error)") }
        if let marks = record["marks"], marks.doubleValue == nil, marks.stringValue.flatMap(Double.init) == nil {
            throw ConfigError("\(at): marks must be a number")
        }
        let options = record[.choices]?.arrayValue?.compactMap(\.stringValue) ?? []
        if !options.isEmpty, let expected = record[.expected]?.stringValue, AnswerExtractor.choice(in: expected, options: options) == nil {
            throw ConfigError("\(at): the expected answer is none of its \(options.count) options (give a letter A–\(String(UnicodeScalar(UInt8(64 + min(options.count, 10))))) or an option's text)")
        }
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
        var position: [String: Int] = [:]
        var byOrder = false
        try ProblemSetFile.forEachRecord(at: path, role: .responses, map: map, note: { note(fileName, $0) }) { line, response in
            let name = response["student"].map(TableWriter.cell) ?? fileName
            if answers[name] == nil { order.append(name) }
            position[name, default: 0] += 1
            // By the id or number the student wrote, else by the question they copied, else by order.
            let given: String
            var found: Question?
            if let id = response[.id].map(TableWriter.cell) {
                given = id
                found = question(for: id)
            } else if let asked = response[.query]?.stringValue {
                given = asked
                found = question(for: asked) ?? question(asking: asked)
            } else {
                given = "#\(position[name]!)"
                byOrder = true
                found = position[name]! <= questions.count ? questions[position[name]! - 1] : nil
            }
            guard let question = found else {
                note(name, "\(path): line \(line): no question '\(given.prefix(40))' in the key")
                answers[name, default: [:]] = answers[name] ?? [:]
                return
            }
            // A blank answer is a question left unanswered, shown blank, not a wrong one.
            if let answer = response[.answer], !answer.isNull, answer.stringValue?.allSatisfy(\.isWhitespace) != true {} else { return }
            if let earlier = answers[name]?[question.id] {
                note(name, "\(path): question \(question.id) is answered twice (lines \(earlier.line) and \(line)): line \(line)'s answer is graded")
            }
            answers[name, default: [:]][question.id] = (line, response)
        }
        if order.isEmpty {
            // A file with no answers is a student who answered nothing, not one left out of the book.
            order = [fileName]
            notes[fileName, default: []].append("\(path): no answers in the file")
        }
        if hidden > 0 { notes[order.first ?? fileName, default: []].append("\(path): \(hidden) more notes like these not shown") }
        if byOrder {
            notes[order.first ?? fileName, default: []].append("\(path): no question numbers or ids: answers matched to the key by their order")
        }
        var scorer = QueryPipeline.grading(typos: typos)
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

    /// The key's question whose text the student copied (case, spacing and punctuation aside).
    func question(asking text: String) -> Question? {
        let wanted = Metric.normalizedText(text)
        guard !wanted.isEmpty else { return nil }
        return questions.first { Metric.normalizedText($0.record[.query]?.stringValue ?? "") == wanted }
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
