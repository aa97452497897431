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

            Answers are matched to the key by the id or number the student wrote (`id`, `Q`, `3)`), \
            else by the question they copied, else by their order (a note says so). Columns whose \
            names say nothing are read by what they hold, with a note. A `marks` (or `points`) \
            column weights the key's questions; a blank answer shows blank in the grade book.

            Each question is scored by its own `metric`, else by auto: a number (with units or in \
            words), a short answer (alone or stated in a sentence), a choice, a label, code with \
            `tests` (run in the sandbox, docs/sandbox.md; the share of the tests passed, or all or \
            nothing when the key says pass@1), a date in any common form, true/false (T/F too), or \
            longer text by ROUGE-L. Two answers where one was asked (a hedge) score 0. \
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

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Also write every scored answer, with what was read from it and why it scored so, to this file: JSON Lines (.jsonl), CSV (.csv) or TSV (.tsv), by its extension.", valueName: "out"))
    var output: String?

    @Option(help: ArgumentHelp("Write one plain-text sheet per student into this folder (alice.txt): each mark, the answer, what was read and why.", valueName: "dir"))
    var feedback: String?

    @Option(help: ArgumentHelp("allow: a one-word answer misspelt a little still scores (Canbera for Canberra); off: spelling counts. Questions marked exact_match never allow it.", valueName: "policy"))
    var typos = "allow"

    func validate() throws {
        if students.isEmpty { throw ValidationError("give the students' answer files after the key") }
        if !["table", "csv", "tsv"].contains(format) { throw ValidationError("--format is table, csv or tsv") }
        if !["allow", "off"].contains(typos) { throw ValidationError("--typos is allow or off") }
        if let output, AuditFile.format(of: output) == nil {
            throw ValidationError("-o \(output): name it .jsonl, .csv or .tsv, which says what it holds")
        }
    }

    func run() throws {
        var book: Gradebook
        do {
            let columns = try map.map(ColumnMap.init) ?? ColumnMap()
            book = try Gradebook(key: key, map: columns)
            book.typos = typos == "allow"
            for file in students { book.gradeOrNote(file, map: columns) }
            if let output { try OutputFile.replace(output, with: try AuditFile.bytes(book, format: AuditFile.format(of: output)!)) }
            if let feedback {
                try FileManager.default.createDirectory(atPath: feedback, withIntermediateDirectories: true)
                for student in book.students {
                    try OutputFile.replace(feedback + "/" + student.name.replacingOccurrences(of: "/", with: "_") + ".txt", with: Array(book.feedback(for: student).utf8))
                }
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
