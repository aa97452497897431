import Foundation
import Testing
@testable import LocoKit
@testable import LocoGrade

/// The error `body` throws, as the user reads it; a test fails when it throws none.
func errorMessage(_ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> String {
    do {
        try body()
        Issue.record("\(what) was read", sourceLocation: sourceLocation)
        return ""
    } catch {
        return "\(error)"
    }
}

/// Reading the files teachers and students have, and grading a class with them.
@Suite struct ProblemSetFileTests {
    func file(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-sets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func csvColumnsAreNamedFieldsAndQuotedCellsHoldCommasAndLines() throws {
        let path = try file("set.csv", "Question,Answer,Metric,Tests,Options\n\"Is it red, or blue?\",blue,,,red | blue\n\"Write f\",,pass@1,\"assert f() == 1\nassert f() != 2\",\n")
        let (format, records) = try ProblemSetFile.records(at: path, role: .questions)
        #expect(format == .csv)
        #expect(records.map(\.line) == [2, 3])
        #expect(records[0].record == ["query": "Is it red, or blue?", "expected": "blue", "choices": ["red", "blue"], "id": "1"])
        #expect(records[1].record == ["query": "Write f", "metric": "pass@1", "tests": ["assert f() == 1", "assert f() != 2"], "id": "2"])
    }

    @Test func anAnswerColumnIsTheKeyInAProblemSetAndTheStudentsOwnInAResponse() throws {
        let path = try file("alice.csv", "id,answer\nq1,Paris\n")
        #expect(try ProblemSetFile.records(at: path, role: .questions).records[0].record["expected"] == "Paris")
        #expect(try ProblemSetFile.records(at: path, role: .responses).records[0].record["answer"] == "Paris")
    }

    @Test func tsvAndTheMapAndAliasesAsAJSONList() throws {
        let path = try file("set.tsv", "Nr\tFrage\tLösung\n1\tHauptstadt von Frankreich?\t[\"Paris\", \"paris\"]\n")
        let map = try ColumnMap("Nr=id,Frage=query,Lösung=expected")
        let (format, records) = try ProblemSetFile.records(at: path, role: .questions, map: map)
        #expect(format == .tsv)
        #expect(records[0].record == ["id": "1", "query": "Hauptstadt von Frankreich?", "expected": ["Paris", "paris"]])
        #expect(throws: ConfigError.self) { try ColumnMap("Frage") }
        #expect(throws: ConfigError.self) { try ColumnMap("Frage=frage") }
    }

    @Test func columnsWhoseNamesSayNothingAreReadByWhatTheyHoldOrNamed() throws {
        var notes: [String] = []
        let guessed = try file("sheet.csv", "Nr.,Ihre Antwort\nQ1,Paris\n2),eighty-four\n")
        let records = try ProblemSetFile.records(at: guessed, role: .responses, note: { notes.append($0) }).records
        #expect(records.map(\.record) == [["id": "Q1", "answer": "Paris"], ["id": "2)", "answer": "eighty-four"]])
        #expect(notes == ["\(guessed): no header names the answer column; read column 1 as the question numbers and column 2 as the answers from what the first rows hold (name them, or use --map, to choose otherwise)"])
        // `Q` and `Ans` are names it knows.
        #expect(try ProblemSetFile.records(at: try file("dan.csv", "Q,Ans\nQ1,Paris\n"), role: .responses).records[0].record == ["id": "Q1", "answer": "Paris"])
        // With nothing under the header there is nothing to go by: say what to name.
        let path = try file("set.csv", "a,b\n")
        #expect(errorMessage("a header without rows") { _ = try ProblemSetFile.records(at: path, role: .questions) }
            == "\(path): line 1: none of the 2 columns named in the header row is the question or the answer; name one question, answer or expected, or map one with --map COLUMN=answer (or =query)")
    }

    @Test func anUnclosedQuoteIsOneLineNamingWhereItOpensNotASwallowedRow() throws {
        let path = try file("bob.csv", "id,answer\n1,\"4\n2,Paris\n3,Rome\n")
        #expect(errorMessage("an unclosed quote") { _ = try ProblemSetFile.records(at: path, role: .responses) }
            == "\(path): line 2: a quote opens a cell there and never closes, so every row after it would be read as that one cell; close the quote, or remove it")
        // Quotes that close, doubled quotes and lines inside a quoted cell are read as they are.
        let fine = try file("ann.csv", "id,answer\n1,\"say \"\"hi\"\"\"\n2,\"def f():\n    return 1\"\n3,it's 4\"\n")
        #expect(try ProblemSetFile.records(at: fine, role: .responses).records.map { $0.record["answer"] } == ["say \"hi\"", "def f():\n    return 1", "it's 4\""])
    }

    @Test func anErrorNeverQuotesWhatTheFileHolds() throws {
        let secret = "root:$y$j9T$SECRETHASH:19000:0:99999:7:::"
        for (name, text) in [("eve.csv", secret + "\n"), ("eve.jsonl", #"{"id":1}"# + "\n" + secret + "\n"), ("eve.tsv", "a\tb\n" + secret + "\n")] {
            do {
                _ = try ProblemSetFile.records(at: try file(name, text), role: .responses)
            } catch {
                #expect(!"\(error)".contains("SECRETHASH") && !"\(error)".contains("root:"), "\(error)")
            }
        }
    }

    @Test func plainTextIsOneQuestionPerLineOrNumberedWithContinuations() throws {
        let lines = try ProblemSetFile.records(at: try file("set.txt", "What is 2+2?\n\nName a prime.\n"), role: .questions).records
        #expect(lines.map(\.record) == [["id": "1", "query": "What is 2+2?"], ["id": "2", "query": "Name a prime."]])
        let numbered = try ProblemSetFile.records(at: try file("bob.txt", "1. Paris\n2) def f():\n       return 1\nQ3: 84\n"), role: .responses).records
        #expect(numbered.map(\.record) == [["id": "1", "answer": "Paris"], ["id": "2", "answer": "def f():\n       return 1"], ["id": "3", "answer": "84"]])
    }

    @Test func aFileThatIsNotTextSaysWhatWasExpected() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("loco-\(UUID().uuidString).xlsx").path
        _ = FileManager.default.createFile(atPath: path, contents: Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00]))
        #expect(errorMessage("a binary file") { _ = try ProblemSetFile.records(at: path, role: .questions) }
            .hasSuffix("is not a text file: expected JSON Lines, CSV or TSV with a header row, or plain text with one question per line"))
    }

    @Test func formatsAreKnownByExtensionElseByTheFirstLine() {
        #expect(ProblemSetFile.format(path: "a.csv", firstLine: "x") == .csv)
        #expect(ProblemSetFile.format(path: "a", firstLine: #"{"query": "x"}"#) == .jsonl)
        #expect(ProblemSetFile.format(path: "a", firstLine: "question\tanswer") == .tsv)
        #expect(ProblemSetFile.format(path: "a", firstLine: "question,answer") == .csv)
        #expect(ProblemSetFile.format(path: "a", firstLine: "What is 1, 2 or 3?") == .text)
    }

    @Test func aProblemSetBecomesJSONLinesForTheStages() throws {
        let converted = try ProblemSetFile.asJSONLines(try file("set.csv", "question,answer\nWhat is 2+2?,4\n"))
        defer { unlink(converted.path) }
        #expect(converted.converted && converted.format == .csv)
        #expect(try String(contentsOfFile: converted.path, encoding: .utf8) == #"{"query":"What is 2+2?","expected":"4","id":"1"}"# + "\n")
        let jsonl = try file("set.jsonl", #"{"query":"x"}"# + "\n")
        #expect(try ProblemSetFile.asJSONLines(jsonl).path == jsonl)
    }
}

@Suite struct GradebookTests {
    static let homework = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/homework")

    @Test func theExampleClassIsGradedPerQuestionWithItsOwnMetricAndMarks() throws {
        var book = try Gradebook(key: Self.homework.appendingPathComponent("key.csv").path)
        for student in ["alice.csv", "bob.txt", "carol.jsonl"] {
            try book.grade(Self.homework.appendingPathComponent("students/" + student).path)
        }
        #expect(book.students.map(\.name) == ["alice", "bob", "carol"])
        #expect(book.students.map { book.total($0) } == [11, 6, 6])
        let csv = String(decoding: try book.gradeBook(delimiter: ","), as: UTF8.self)
        #expect(csv == """
            student,q1,q2,q3,q4,q5,q6,q7,q8,q9,q10,total,percent
            alice,1,1,1,1,1,2,1,1,1,1,11,100%
            bob,0,1,0,0,1,0,1,1,1,1,6,55%
            carol,1,1,1,0,1,0,,0,1,1,6,55%

            """)
        #expect(book.mostMissed() == "most missed: q4 (2 of 3 short of full marks), q6 (2 of 3 short of full marks), q1 (1 of 3 short of full marks)")
        // carol skipped q7: blank, worth 0; her q6 exits before the tests: 0 of 2 tests.
        #expect(book.students[2].records["q7"]?["score"]?.objectValue?["note"] == "no answer")
        #expect(book.students[2].skipped("q7") && !book.students[2].skipped("q6"))
    }

    @Test func answersWithoutIdsAreMatchedByTheQuestionTheyCopiedElseByOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-grade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let key = dir.appendingPathComponent("key.csv").path
        try "id,question,answer\n1,What is 2+2?,4\n2,Capital of France?,Paris\n".write(toFile: key, atomically: true, encoding: .utf8)
        let copied = dir.appendingPathComponent("ann.csv").path, ordered = dir.appendingPathComponent("ben.csv").path
        try "Question,Your Answer\ncapital of france,Paris\nWhat is 2+2?,4\n".write(toFile: copied, atomically: true, encoding: .utf8)
        try "Response #,Ihre Antwort\n,4\n,Lyon\n".write(toFile: ordered, atomically: true, encoding: .utf8)
        var book = try Gradebook(key: key)
        try book.grade(copied)
        try book.grade(ordered)
        #expect(book.students.map { book.total($0) } == [2, 1])
        #expect(book.students[0].notes.isEmpty, "\(book.students[0].notes)")
        #expect(book.students[1].notes == ["\(ordered): no header names the answer column; read column 2 as the answers from what the first rows hold (name them, or use --map, to choose otherwise)",
                                           "\(ordered): no question numbers or ids: answers matched to the key by their order"])
    }

    @Test func aKeyIsCheckedWholeBeforeAnyStudent() throws {
        let key = FileManager.default.temporaryDirectory.appendingPathComponent("loco-key-\(UUID().uuidString).csv").path
        for (text, message) in [("id,question,answer,metric\nq1,2+2?,4,number\n", "line 2: question 'q1': unknown metric 'number'"),
                              ("id,question,answer,marks\nq1,2+2?,4,two\n", "line 2: question 'q1': marks must be a number"),
                              ("id,question,answer,choices\nq1,Colour?,E,red | blue\n", "line 2: question 'q1': the expected answer is none of its 2 options"),
                              ("id,question,tests\nq1,Write f,\"assert f() == 1\nassert f( == 2\"\n", "question 'q1': its tests are not Python that parses (")] {
            try text.write(toFile: key, atomically: true, encoding: .utf8)
            let error = errorMessage("a bad key (\(text))") { _ = try Gradebook(key: key) }
            #expect(error.hasPrefix("\(key): \(message)"), "\(error)")
        }
    }

    @Test func severalStudentsInOneFileAndAnswersMatchedByNumber() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-grade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let key = dir.appendingPathComponent("key.jsonl").path, sheet = dir.appendingPathComponent("class.csv").path
        try #"{"id":"a","query":"2+2?","expected":4}"#.appending("\n" + #"{"id":"b","query":"Capital of Italy?","expected":["Rome","Roma"]}"# + "\n")
            .write(toFile: key, atomically: true, encoding: .utf8)
        try "student,id,answer\nann,1,four\nann,2,It is Roma.\nben,1,5\nben,9,x\n".write(toFile: sheet, atomically: true, encoding: .utf8)
        var book = try Gradebook(key: key)
        try book.grade(sheet)
        #expect(book.students.map(\.name) == ["ann", "ben"])
        #expect(book.students.map { book.total($0) } == [2, 0])
        #expect(book.students[1].notes == ["\(sheet): line 5: no question '9' in the key"])
    }

    @Test func aQuestionAnsweredTwiceIsGradedOnTheLaterAnswerAndSaysSo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-grade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let key = dir.appendingPathComponent("key.csv").path, dan = dir.appendingPathComponent("dan.csv").path
        try "id,question,answer\n1,2+2?,4\n2,Capital of France?,Paris\n".write(toFile: key, atomically: true, encoding: .utf8)
        try "id,answer\n1,4\n2,Lyon\n2,Paris\n".write(toFile: dan, atomically: true, encoding: .utf8)
        var book = try Gradebook(key: key)
        try book.grade(dan)
        #expect(book.total(book.students[0]) == 2)
        #expect(book.students[0].notes == ["\(dan): question 2 is answered twice (lines 3 and 4): line 4's answer is graded"])
    }

    @Test func aFileThatCannotBeReadIsARowNotGradedAndTheClassGoesOn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-grade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let key = dir.appendingPathComponent("key.csv").path
        try "id,question,answer\n1,2+2?,4\n".write(toFile: key, atomically: true, encoding: .utf8)
        var book = try Gradebook(key: key)
        for (name, text) in [("ann.csv", "id,answer\n1,4\n"), ("bob.csv", "id,answer\n1,\"4\n"), ("cat.csv", "id,answer\n1,5\n")] {
            let path = dir.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            book.gradeOrNote(path)
        }
        #expect(book.students.map(\.name) == ["ann", "cat"])
        // A file with a header and no answers is a student who answered nothing.
        let empty = dir.appendingPathComponent("dee.csv").path
        try "id,answer\n".write(toFile: empty, atomically: true, encoding: .utf8)
        var other = try Gradebook(key: key)
        other.gradeOrNote(empty)
        #expect(other.students.map(\.name) == ["dee"] && other.students[0].skipped("1") && other.students[0].notes == ["\(empty): no answers in the file"])
        #expect(book.ungraded.map(\.name) == ["bob"] && book.ungraded[0].reason.contains("bob.csv: line 2: a quote opens a cell there"))
        #expect(String(decoding: try book.gradeBook(delimiter: ","), as: UTF8.self) == "student,1,total,percent\nann,1,1,100%\ncat,0,0,0%\nbob,,,not graded\n")
    }

    @Test func aKeyQuestionWithoutAnAnswerIsAnErrorNamingIt() throws {
        let key = FileManager.default.temporaryDirectory.appendingPathComponent("loco-key-\(UUID().uuidString).csv").path
        try "id,question,answer\nq1,2+2?,4\nq2,Name a colour,\n".write(toFile: key, atomically: true, encoding: .utf8)
        #expect(errorMessage("a key without an answer") { _ = try Gradebook(key: key) }
            == "\(key): line 3: question 'q2' has no expected answer (or tests) to grade against")
    }
}
