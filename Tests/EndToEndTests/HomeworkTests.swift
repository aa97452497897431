import Foundation
import Testing

/// The teacher's path of docs/homework.md, run as written: a key and a folder of students' files
/// in their own formats to a table and a grade book; and a CSV problem set through `loco run`.
@Suite struct HomeworkTests {
    static let homework = E2E.root.appendingPathComponent("examples/homework").path

    /// The class as handed in (no --map): eleven files in five formats, headers like `Q,Ans` and
    /// `Question,Your Answer`, answers out of order or without numbers, blanks, typos, hedges,
    /// dates in several forms, partly right code, and one file with an unclosed quote. The grade
    /// book must be the teacher's, cell by cell (expected-gradebook.csv, graded by hand).
    @Test func theLessonGradesTheExampleClassAsTheTeacherDid() throws {
        let book = try shell("loco grade key.csv students/* --format csv", directory: Self.homework, timeout: 180)
        #expect(book.status == 1, "kate's file is not graded: \(book.stderr)")
        let expected = try String(contentsOfFile: Self.homework + "/expected-gradebook.csv", encoding: .utf8)
        let got = book.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let want = expected.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(got.count == want.count, "\(book.stdout)")
        for (row, wanted) in zip(got, want) {
            for (column, cell) in wanted.enumerated() {
                #expect(column < row.count && row[column] == cell, "\(wanted[0]), column \(want[0][column]): \(column < row.count ? row[column] : "missing"), the teacher gave \(cell)")
            }
        }
        #expect(book.stderr.contains("students/hugo.csv: no question numbers or ids: answers matched to the key by their order"), "\(book.stderr)")
        #expect(book.stderr.contains("not graded: students/kate.csv: line 2: a quote opens a cell there and never closes"), "\(book.stderr)")

        let table = try shell("loco grade key.csv students/*", directory: Self.homework, timeout: 180)
        #expect(table.stdout.hasPrefix("""
            student  score  of  percent
            alice    11     11  100%
            bob      6      11  55%
            """), "\(table.stdout)")
        #expect(table.stdout.contains("q6        0.45  4 of 10     2      tests_passed"), "\(table.stdout)")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-graded-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try shell("loco grade key.csv students/* -o \(quoted(dir + "/audit.jsonl")) --feedback \(quoted(dir + "/sheets"))", directory: Self.homework, timeout: 180)
        let records = try String(contentsOfFile: dir + "/audit.jsonl", encoding: .utf8).split(separator: "\n").map { try jsonObject(String($0)) }
        #expect(records.count == 100)
        let carolsCode = try #require(records.first { $0["student"] as? String == "carol" && $0["id"] as? String == "q6" })
        #expect((carolsCode["score"] as? [String: Any])?["runs"] as? [String] == ["0 of 2 tests passed: the code's process exited (status 0) before the tests were done"])
        let ivy = try String(contentsOfFile: dir + "/sheets/ivy.txt", encoding: .utf8)
        #expect(ivy.hasPrefix("ivy: 7 of 11 (64%)"), "\(ivy)")
        #expect(ivy.contains("   mark: 1 of 2\n"), "\(ivy)")
        #expect(ivy.contains("   why: 1 of 2 tests passed: 0.5 of the marks"), "\(ivy)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/sheets").count == 10)
        let csv = try shell("loco grade key.csv students/* -o \(quoted(dir + "/audit.csv"))", directory: Self.homework, timeout: 180)
        #expect(try String(contentsOfFile: dir + "/audit.csv", encoding: .utf8).hasPrefix("student,id,query,answer,expected,metric,value,read,why\n"), "\(csv.stderr)")
        let wrongName = try shell("loco grade key.csv students/alice.csv -o \(quoted(dir + "/audit.xlsx"))", directory: Self.homework)
        #expect(wrongName.status == 2 && wrongName.stderr.contains("name it .jsonl, .csv or .tsv"), "\(wrongName.stderr)")
    }

    @Test func badFilesGetOneLineThatSaysWhatWasExpected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-hw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "a,b\n1,2\n".write(to: dir.appendingPathComponent("key.csv"), atomically: true, encoding: .utf8)
        let r = try shell("loco grade key.csv key.csv", directory: dir.path)
        #expect(r.status == 2)
        // Columns named a and b: a holds numbers (the ids), b the longest text (the questions); no answers.
        #expect(r.stderr == "loco-grade: key.csv: line 2: question '1' has no expected answer (or tests) to grade against\n", "\(r.stderr)")
        let mapped = try shell("loco grade key.csv key.csv --map a=id,b=expected --format tsv", directory: dir.path)
        #expect(mapped.status == 1 || mapped.status == 0, "\(mapped.stderr)")
        // A student's bad file is one line and a row marked not graded; the rest of the class is graded.
        try "id,answer\n1,\"2\n".write(to: dir.appendingPathComponent("bob.csv"), atomically: true, encoding: .utf8)
        let bad = try shell("loco grade \(quoted(Self.homework + "/key.csv")) \(quoted(Self.homework + "/students/alice.csv")) bob.csv", directory: dir.path, timeout: 120)
        #expect(bad.status == 1)
        #expect(bad.stderr == "loco-grade: not graded: bob.csv: line 2: a quote opens a cell there and never closes, so every row after it would be read as that one cell; close the quote, or remove it\n")
        #expect(bad.stdout.hasPrefix("student  score  of  percent\nalice    11     11  100%\nbob      -      11  not graded (see the note)\n"), "\(bad.stdout)")
        // loco run's OUT is what its name says, or refused: a CSV is not resumed as JSON Lines.
        let resumeCSV = try shell("loco run key.csv --resume answers.csv", directory: dir.path)
        #expect(resumeCSV.status == 2 && resumeCSV.stderr.contains("--resume carries on a JSON Lines OUT; a CSV or TSV one is written whole"), "\(resumeCSV.stderr)")
        let text = try shell("loco run key.csv -o answers.txt", directory: dir.path)
        #expect(text.status == 2 && text.stderr.contains("answers.txt: name OUT .jsonl, .csv or .tsv"), "\(text.stderr)")
        let noFiles = try shell("loco grade key.csv", directory: dir.path)
        #expect(noFiles.status == 2 && noFiles.stderr.contains("give the students' answer files after the key"))
    }
}

extension RealEngine {
    @Suite struct HomeworkRunTests {
        let engine = ["LOCO_BACKEND": "llama-server", "LOCO_URL": E2E.engineURL ?? "", "LOCO_MAX_TOKENS": "32"]

        @Test func aCSVProblemSetRunsAndComesOutAsASpreadsheet() throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-hw-run-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try "id,question,answer\nq1,What is 7 times 12?,84\nq2,\"What is the capital of France, in one word?\",Paris\n"
                .write(to: dir.appendingPathComponent("set.csv"), atomically: true, encoding: .utf8)
            let r = try shell("loco run set.csv --seed 1 --format csv", environment: engine, directory: dir.path)
            #expect(r.status <= 1, "\(r.stderr)")
            #expect(r.stdout.contains("records in set.results.csv"), "\(r.stdout)")
            let table = try String(contentsOf: dir.appendingPathComponent("set.results.csv"), encoding: .utf8)
            let rows = table.split(separator: "\n")
            #expect(rows.first == "id,query,adapter,answer,expected,metric,score,error")
            #expect(rows.count == 3)
            #expect(rows[1].hasPrefix("q1,What is 7 times 12?,") && rows[1].contains(",84,numeric_match,"), "\(table)")
            #expect(rows[2].hasPrefix("q2,\"What is the capital of France, in one word?\",") && rows[2].contains(",Paris,short_answer,"), "\(table)")
            let text = try shell("printf 'What is 2 + 2?\\nName a primary colour.\\n' > set.txt && loco run set.txt --seed 1", environment: engine, directory: dir.path)
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("records in set.results.jsonl") && text.stdout.contains("(0 of 0 scored, 2 records, 0 errors"), "\(text.stdout)")
        }
    }
}
