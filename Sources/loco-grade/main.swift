import ArgumentParser
import Foundation
import LocoCLI
import LocoGrade
import LocoKit

struct LocoGradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loco-grade",
        abstract: "Grade students' answers against a key: a table per student and per question, or a grade book (what `loco grade` runs).",
        discussion: """
            KEY is the teacher's key: JSON Lines, CSV or TSV with a header row, or plain text, one \
            question per row with its expected answer (columns `id`, `question`, `expected` or \
            `answer`, and optionally `metric`, `tests`, `choices`, `labels`; other names with --map). \
            Each STUDENT file holds one student's answers (named after the file: alice.csv is alice) \
            or several students' with a `student` column: CSV/TSV with `id` and `answer`, JSON \
            Lines, or plain text with numbered answers ("1. Paris"). Answers are matched to the key \
            by id, else by number; a missing answer scores 0.

            Each question is scored by its own `metric`, else by auto: a number (with units or in \
            words), a short answer (alone or stated in a sentence), a choice, a label, code with \
            `tests` (run in the sandbox, docs/sandbox.md), or longer text by ROUGE-L. \
            docs/homework.md has the rules and a worked example (examples/homework/).

            A file that cannot be read as answers (an unclosed quote, no answer column, not text) \
            gets one line saying where and what was expected, and a row marked not graded; the \
            rest of the class is graded. A question answered twice in one file is graded on the \
            later answer, with a note. Files are read a row at a time: size costs time, not memory.

            Exit status: 0 when every file was graded, 1 when a file was not graded or an answer \
            could not be scored (a note says which), 2 on a usage or configuration error or when an output cannot be written.
            """,
        version: LocoCLI.version)

    @Argument(help: ArgumentHelp("The key: one question per row with its expected answer.", valueName: "key"))
    var key: String

    @Argument(help: ArgumentHelp("Students' answer files.", valueName: "student-file"))
    var students: [String] = []

    @Option(help: ArgumentHelp("table (the default), or csv / tsv: a grade book, one row per student.", valueName: "format"))
    var format = "table"

    @Option(help: ArgumentHelp("Columns whose names say nothing: COLUMN=FIELD,… (e.g. Frage=query,Loesung=expected).", valueName: "map"))
    var map: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Also write every scored answer as JSON Lines (with `student`) to this file.", valueName: "out"))
    var output: String?

    func validate() throws {
        if students.isEmpty { throw ValidationError("give the students' answer files after the key") }
        if !["table", "csv", "tsv"].contains(format) { throw ValidationError("--format is table, csv or tsv") }
    }

    func run() throws {
        var book: Gradebook
        do {
            let columns = try map.map(ColumnMap.init) ?? ColumnMap()
            book = try Gradebook(key: key, map: columns)
            for file in students { book.gradeOrNote(file, map: columns) }
            if let output {
                var bytes: [UInt8] = []
                for student in book.students {
                    for question in book.questions { bytes += JSONWriter.serialize(.object(student.records[question.id] ?? [:])) + [0x0A] }
                }
                try OutputFile.replace(output, with: bytes)
            }
        } catch {
            LocoCLI.fail("loco-grade", error)
        }
        let notes = book.students.flatMap(\.notes) + book.ungraded.map { "not graded: \($0.reason)" }
        for note in notes { printError("loco-grade: \(note)") }
        if format == "table" {
            print(book.studentTable() + "\n\n" + book.questionTable())
            if let missed = book.mostMissed() { print("\n" + missed) }
        } else {
            do {
                let stdout = OutputWriter()
                stdout.write(String(decoding: try book.gradeBook(delimiter: format == "csv" ? "," : "\t"), as: UTF8.self))
                stdout.flush()
            } catch {
                LocoCLI.fail("loco-grade", error)
            }
        }
        let errors = book.students.reduce(0) { $0 + $1.records.values.filter(\.hasError).count }
        throw ExitCode(errors > 0 || !book.ungraded.isEmpty ? 1 : 0)
    }
}

LocoCLI.main(LocoGradeCommand.self, example: "loco-grade examples/homework/key.csv examples/homework/students/*")
