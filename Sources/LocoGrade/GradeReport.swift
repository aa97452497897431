import Foundation
import LocoKit

/// What `loco grade` prints: a table per student and per question, the questions most got wrong,
/// or a grade book (one row per student, one column per question) as CSV or TSV.
extension Gradebook {
    public func total(_ student: Student) -> Double { questions.reduce(0) { $0 + student.value($1.id) } }

    public func studentTable() -> String {
        var rows = [["student", "score", "of", "percent"]]
        for student in students {
            let total = total(student)
            rows.append([student.name, Gradebook.number(total), String(questions.count), Gradebook.percent(total / Double(questions.count))])
        }
        for file in ungraded { rows.append([file.name, "-", String(questions.count), "not graded (see the note)"]) }
        return Gradebook.aligned(rows)
    }

    public func questionTable() -> String {
        var rows = [["question", "mean", "wrong", "metric"]]
        for question in questions {
            let values = students.map { $0.value(question.id) }
            let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            let metric = students.lazy.compactMap { $0.records[question.id]?[.score]?.objectValue?["metric"]?.stringValue }.first { $0 != "none" } ?? "-"
            rows.append([question.id, String(format: "%.2f", mean), "\(values.filter { $0 < 1 }.count) of \(values.count)", metric])
        }
        return Gradebook.aligned(rows)
    }

    /// "most missed: q3 (3 of 4 wrong), q5 (2 of 4 wrong)": up to three questions, most wrong first.
    public func mostMissed() -> String? {
        let wrong = questions.map { q in (q.id, students.filter { $0.value(q.id) < 1 }.count) }.filter { $0.1 > 0 }
        guard !wrong.isEmpty else { return nil }
        let top = wrong.enumerated().sorted { ($0.element.1, -$0.offset) > ($1.element.1, -$1.offset) }.prefix(3)
        return "most missed: " + top.map { "\($0.element.0) (\($0.element.1) of \(students.count) wrong)" }.joined(separator: ", ")
    }

    public func gradeBook(delimiter: String) throws -> Data {
        let header = ["student"] + questions.map(\.id) + ["total", "percent"]
        let rows = students.map { student in
            [student.name] + questions.map { Gradebook.number(student.value($0.id)) }
                + [Gradebook.number(total(student)), Gradebook.percent(total(student) / Double(questions.count))]
        } + ungraded.map { [$0.name] + questions.map { _ in "" } + ["", "not graded"] }
        return try TableWriter.write(rows: rows, header: header, delimiter: delimiter)
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
