import Foundation
import LocoKit

/// What `loco grade` prints: a table per student and per question, the questions most got wrong,
/// or a grade book (one row per student, one column per question) as CSV or TSV.
extension Gradebook {
    /// The points a student earned: each question's share times its marks.
    public func total(_ student: Student) -> Double { questions.reduce(0) { $0 + student.value($1.id) * $1.marks } }
    /// The points there are.
    public var outOf: Double { questions.reduce(0) { $0 + $1.marks } }

    public func studentTable() -> String {
        var rows = [["student", "score", "of", "percent"]]
        for student in students {
            let total = total(student)
            rows.append([student.name, Gradebook.number(total), Gradebook.number(outOf), Gradebook.percent(total / outOf)])
        }
        for file in ungraded { rows.append([file.name, "-", Gradebook.number(outOf), "not graded (see the note)"]) }
        return Gradebook.aligned(rows)
    }

    /// Per question: the mean share earned (partial credit counted), how many earned full
    /// marks, how many left it blank.
    public func questionTable() -> String {
        var rows = [["question", "mean", "full marks", "blank", "metric"]]
        for question in questions {
            let values = students.map { $0.value(question.id) }
            let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            let metric = students.lazy.compactMap { $0.records[question.id]?[.score]?.objectValue?["metric"]?.stringValue }.first { $0 != "none" } ?? "-"
            let blank = students.filter { $0.skipped(question.id) }.count
            rows.append([question.id, String(format: "%.2f", mean), "\(values.filter { $0 >= 1 }.count) of \(values.count)", String(blank), metric])
        }
        return Gradebook.aligned(rows)
    }

    /// "most missed: q3 (3 of 4 short of full marks), …": up to three questions, most missed first.
    public func mostMissed() -> String? {
        let wrong = questions.map { q in (q.id, students.filter { $0.value(q.id) < 1 }.count) }.filter { $0.1 > 0 }
        guard !wrong.isEmpty else { return nil }
        let top = wrong.enumerated().sorted { ($0.element.1, -$0.offset) > ($1.element.1, -$1.offset) }.prefix(3)
        return "most missed: " + top.map { "\($0.element.0) (\($0.element.1) of \(students.count) short of full marks)" }.joined(separator: ", ")
    }

    /// One row per student: the points per question (blank where the question was left
    /// unanswered), the total and the percentage; a file that was not graded says so.
    public func gradeBook(delimiter: String) throws -> Data {
        let header = ["student"] + questions.map(\.id) + ["total", "percent"]
        let rows = students.map { student in
            [student.name] + questions.map { student.skipped($0.id) ? "" : Gradebook.number(student.value($0.id) * $0.marks) }
                + [Gradebook.number(total(student)), Gradebook.percent(total(student) / outOf)]
        } + ungraded.map { [$0.name] + questions.map { _ in "" } + ["", "not graded"] }
        return try TableWriter.write(rows: rows, header: header, delimiter: delimiter)
    }

    /// A sheet a teacher can hand back: each question's mark, the answer, what was read from it,
    /// and why it scored as it did.
    public func feedback(for student: Student) -> String {
        var lines = ["\(student.name): \(Gradebook.number(total(student))) of \(Gradebook.number(outOf)) (\(Gradebook.percent(total(student) / outOf)))", ""]
        for question in questions {
            let record = student.records[question.id] ?? [:]
            let score = record[.score]?.objectValue ?? [:]
            let earned = Gradebook.number(student.value(question.id) * question.marks)
            lines.append("\(question.id). \(record[.query]?.stringValue ?? "")")
            lines.append("   mark: \(student.skipped(question.id) ? "-" : earned) of \(Gradebook.number(question.marks))")
            if student.skipped(question.id) {
                lines.append("   no answer given")
            } else {
                let answer = record[.answer]?.stringValue ?? ""
                lines.append("   your answer: " + answer.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n                "))
                if let read = score["read"]?.stringValue, read != answer { lines.append("   read as: \(read)") }
                if let expected = record[.expected], !expected.isNull { lines.append("   expected: \(TableWriter.cell(expected))") }
                let why = score["why"]?.stringValue ?? score["runs"]?.arrayValue?.first?.stringValue ?? record[.error]?.objectValue?["message"]?.stringValue
                if let why { lines.append("   why: \(why)") }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }

    static func aligned(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i] + 2, withPad: " ", startingAt: 0) }.joined()
        }.joined(separator: "\n")
    }
}

/// `loco grade -o OUT`: every scored answer, in the format OUT's name says.
public enum AuditFile {
    public enum Format: String { case jsonl, csv, tsv }

    public static func format(of path: String) -> Format? {
        Format(rawValue: (path as NSString).pathExtension.lowercased())
    }

    public static let header = ["student", "id", "query", "answer", "expected", "metric", "value", "read", "why"]

    public static func bytes(_ book: Gradebook, format: Format) throws -> [UInt8] {
        let records = book.students.flatMap { student in book.questions.map { student.records[$0.id] ?? [:] } }
        if format == .jsonl { return records.flatMap { JSONWriter.serialize(.object($0)) + [0x0A] } }
        let rows = records.map { record -> [String] in
            let score = record[.score]?.objectValue ?? [:]
            let why = score["why"] ?? score["runs"]?.arrayValue?.first ?? record[.error]?.objectValue?["message"]
            return [TableWriter.cell(record["student"]), TableWriter.cell(record[.id]), TableWriter.cell(record[.query]), TableWriter.cell(record[.answer]),
                    TableWriter.cell(record[.expected]), TableWriter.cell(score["metric"]), TableWriter.cell(score["value"]), TableWriter.cell(score["read"]),
                    TableWriter.cell(why)]
        }
        return [UInt8](try TableWriter.write(rows: rows, header: header, delimiter: format == .csv ? "," : "\t"))
    }
}
