import Foundation
import Testing
@testable import LocoGrade
import LocoTestSupport

@Suite struct GradebookTests {
    static let homework = checkoutRoot.appendingPathComponent("examples/homework")

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
        let dir = try ScratchDirectory.make("loco-grade")
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
        let key = ScratchDirectory.file("loco-key", suffix: ".csv").path
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
        let dir = try ScratchDirectory.make("loco-grade")
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
        let dir = try ScratchDirectory.make("loco-grade")
        let key = dir.appendingPathComponent("key.csv").path, dan = dir.appendingPathComponent("dan.csv").path
        try "id,question,answer\n1,2+2?,4\n2,Capital of France?,Paris\n".write(toFile: key, atomically: true, encoding: .utf8)
        try "id,answer\n1,4\n2,Lyon\n2,Paris\n".write(toFile: dan, atomically: true, encoding: .utf8)
        var book = try Gradebook(key: key)
        try book.grade(dan)
        #expect(book.total(book.students[0]) == 2)
        #expect(book.students[0].notes == ["\(dan): question 2 is answered twice (lines 3 and 4): line 4's answer is graded"])
    }

    @Test func aFileThatCannotBeReadIsARowNotGradedAndTheClassGoesOn() throws {
        let dir = try ScratchDirectory.make("loco-grade")
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
        let key = ScratchDirectory.file("loco-key", suffix: ".csv").path
        try "id,question,answer\nq1,2+2?,4\nq2,Name a colour,\n".write(toFile: key, atomically: true, encoding: .utf8)
        #expect(errorMessage("a key without an answer") { _ = try Gradebook(key: key) }
            == "\(key): line 3: question 'q2' has no expected answer (or tests) to grade against")
    }
}
