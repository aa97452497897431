import Foundation
import Testing

/// The teacher's path of docs/homework.md, run as written: a key and a folder of students' files
/// in their own formats to a table and a grade book; and a CSV problem set through `loco run`.
@Suite struct HomeworkTests {
    static let homework = E2E.root.appendingPathComponent("examples/homework").path

    @Test func theLessonGradesTheExampleClass() throws {
        let r = try shell("loco grade key.csv students/*", directory: Self.homework, timeout: 120)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("""
            student  score  of  percent
            alice    8      8   100%
            bob      4      8   50%
            carol    4      8   50%

            question  mean  wrong   metric
            q1        0.67  1 of 3  short_answer
            q2        1.00  0 of 3  numeric_match
            """), "\(r.stdout)")
        #expect(r.stdout.contains("q6        0.33  2 of 3  pass@1"))
        #expect(r.stdout.hasSuffix("most missed: q4 (2 of 3 wrong), q6 (2 of 3 wrong), q1 (1 of 3 wrong)\n"))
        let book = try shell("loco grade key.csv students/* --format csv > /dev/stdout", directory: Self.homework, timeout: 120)
        #expect(book.stdout == """
            student,q1,q2,q3,q4,q5,q6,q7,q8,total,percent
            alice,1,1,1,1,1,1,1,1,8,100%
            bob,0,1,0,0,1,0,1,1,4,50%
            carol,1,1,1,0,1,0,0,0,4,50%

            """)
        let audit = FileManager.default.temporaryDirectory.appendingPathComponent("loco-graded-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: audit) }
        _ = try shell("loco grade key.csv students/* -o \(quoted(audit))", directory: Self.homework, timeout: 120)
        let records = try String(contentsOfFile: audit, encoding: .utf8).split(separator: "\n").map { try jsonObject(String($0)) }
        #expect(records.count == 24)
        let carolsCode = try #require(records.first { $0["student"] as? String == "carol" && $0["id"] as? String == "q6" })
        #expect((carolsCode["score"] as? [String: Any])?["runs"] as? [String] == ["0 of 2 tests passed: the code's process exited (status 0) before the tests were done"])
    }

    @Test func badFilesGetOneLineThatSaysWhatWasExpected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-hw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "a,b\n1,2\n".write(to: dir.appendingPathComponent("key.csv"), atomically: true, encoding: .utf8)
        let r = try shell("loco grade key.csv key.csv", directory: dir.path)
        #expect(r.status == 2)
        #expect(r.stderr == "loco-grade: key.csv: line 1: none of the 2 columns named in the header row is the question or the answer; name one question, answer or expected, or map one with --map COLUMN=answer (or =query)\n")
        let mapped = try shell("loco grade key.csv key.csv --map a=id,b=expected --format tsv", directory: dir.path)
        #expect(mapped.status == 1 || mapped.status == 0, "\(mapped.stderr)")
        // A student's bad file is one line and a row marked not graded; the rest of the class is graded.
        try "id,answer\n1,\"2\n".write(to: dir.appendingPathComponent("bob.csv"), atomically: true, encoding: .utf8)
        let bad = try shell("loco grade \(quoted(Self.homework + "/key.csv")) \(quoted(Self.homework + "/students/alice.csv")) bob.csv", directory: dir.path, timeout: 120)
        #expect(bad.status == 1)
        #expect(bad.stderr == "loco-grade: not graded: bob.csv: line 2: a quote opens a cell there and never closes, so every row after it would be read as that one cell; close the quote, or remove it\n")
        #expect(bad.stdout.hasPrefix("student  score  of  percent\nalice    8      8   100%\nbob      -      8   not graded (see the note)\n"), "\(bad.stdout)")
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
            #expect(text.stdout.contains("records in set.results.jsonl") && text.stdout.contains("(0/0 scored, 2 records, 0 errors"), "\(text.stdout)")
        }
    }
}
