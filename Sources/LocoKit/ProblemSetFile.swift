import CSV
import Foundation

/// The files teachers and students have, read as records: JSON Lines; CSV or TSV with a header
/// row, whose columns name record fields (`question` is `query`, `key` is `expected`, …, or as
/// `ColumnMap` says); plain text, one question per line or numbered ("1. …", "Q2) …", with
/// continuation lines). docs/homework.md lists the column names.
public enum ProblemSetFile {
    public enum Format: String, CaseIterable, Sendable { case jsonl, csv, tsv, text }

    /// What the file holds: questions (a problem set, or a teacher's key, where an `answer`
    /// column is the expected answer), or a student's responses (where `answer` is theirs).
    public enum Role: Sendable { case questions, responses }

    static let headerNames: [String: RecordField] = [
        "id": .id, "qid": .id, "questionid": .id, "number": .id, "no": .id, "#": .id, "q": .id, "item": .id,
        "query": .query, "question": .query, "prompt": .query, "problem": .query, "task": .query,
        "expected": .expected, "key": .expected, "answerkey": .expected, "correct": .expected, "correctanswer": .expected,
        "solution": .expected, "reference": .expected,
        "response": .answer, "studentanswer": .answer, "reply": .answer,
        "metric": .metric, "tests": .tests, "entrypoint": .entryPoint, "choices": .choices, "options": .choices,
        "labels": .labels, "adapter": .adapter,
    ]
    /// Header names that mean "answer": the key's in a problem set, the student's in responses.
    static let answerNames: Set<String> = ["answer", "ans", "answers", "youranswer", "myanswer", "studentsanswer", "finalanswer"]
    /// Header names for how much a question is worth.
    static let marksNames: Set<String> = ["marks", "mark", "points", "point", "pts", "weight", "worth"]

    /// The format, from the extension, else from the first line.
    public static func format(path: String, firstLine: String) -> Format {
        switch (path as NSString).pathExtension.lowercased() {
        case "jsonl", "json", "ndjson": return .jsonl
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "txt", "text", "md": return .text
        default: break
        }
        let line = firstLine.trimmingCharacters(in: .whitespaces)
        if line.hasPrefix("{") { return .jsonl }
        if line.contains("\t") { return .tsv }
        if line.contains(","), line.split(separator: ",").contains(where: { headerNames[key($0)] != nil || key($0) == "answer" }) { return .csv }
        return .text
    }

    /// The file's records with the line (or row) each came from; JSON Lines are read by the stage
    /// runner as they are, so this is for the other formats, and for JSON Lines when grading.
    public static func records(at path: String, role: Role, map: ColumnMap = ColumnMap(), note: ((String) -> Void)? = nil) throws -> (format: Format, records: [(line: Int, record: JSONObject)]) {
        var records: [(line: Int, record: JSONObject)] = []
        let format = try forEachRecord(at: path, role: role, map: map, note: note) { records.append(($0, $1)) }
        return (format, records)
    }

    /// Reads the file a record at a time, giving each to `body` with its line (or row), so memory
    /// does not grow with the file. A mistake in the file is one line naming the file, the line
    /// and what was expected; it never quotes what the file holds (it may be anything a path
    /// points at).
    @discardableResult
    public static func forEachRecord(at path: String, role: Role, map: ColumnMap = ColumnMap(), note: ((String) -> Void)? = nil,
                                     _ body: (Int, JSONObject) throws -> Void) throws -> Format {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ConfigError("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 4096)
        let count = read(fd, &head, head.count)
        guard count >= 0 else { throw ConfigError("cannot read \(path): \(String(cString: strerror(errno)))") }
        head.removeSubrange(count...)
        lseek(fd, 0, SEEK_SET)
        guard !head.contains(0) else {
            throw ConfigError("\(path) is not a text file: expected JSON Lines, CSV or TSV with a header row, or plain text with one question per line")
        }
        let text = String(decoding: head.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(head.dropFirst(3)) : head, as: UTF8.self)
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let format = format(path: path, firstLine: firstLine)
        switch format {
        case .jsonl: try jsonLines(fd: fd, path: path, body)
        case .csv, .tsv: try table(path: path, fd: fd, delimiter: format == .csv ? "," : "\t", role: role, map: map, note: note, body)
        case .text: try plainText(fd: fd, path: path, role: role, body)
        }
        return format
    }

    /// `path` as JSON Lines the stage runner reads: itself when it is JSON Lines, else a
    /// temporary file of its records (the caller removes it).
    public static func asJSONLines(_ path: String, map: ColumnMap = ColumnMap()) throws -> (path: String, converted: Bool, format: Format) {
        let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readData(ofLength: 4096)) ?? Data()
        let firstLine = String(decoding: head, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        if format(path: path, firstLine: firstLine) == .jsonl { return (path, false, .jsonl) }
        var template = Array((NSTemporaryDirectory() + "/loco-problems-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw ConfigError("cannot make a temporary file: \(String(cString: strerror(errno)))") }
        let out = String(cString: template)
        let writer = OutputWriter(fd: fd, name: out)
        writer.onFailure = { unlink(out); return "nothing was run" }
        do {
            let format = try forEachRecord(at: path, role: .questions, map: map) { _, record in writer.writeLine(JSONWriter.serialize(.object(record))) }
            writer.close()
            return (out, true, format)
        } catch {
            writer.close()
            unlink(out)
            throw error
        }
    }

    static func key(_ header: Substring) -> String {
        header.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" }
    }

    static func jsonLines(fd: Int32, path: String, _ body: (Int, JSONObject) throws -> Void) throws {
        let reader = LineReader(fd: fd)
        var number = 0
        while let line = reader.next() {
            number += 1
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard !line.truncated, case .object(let record)? = try? JSONParser.parse(line.bytes) else {
                throw ConfigError("\(path): line \(number) is not a JSON object (JSON Lines: one object per line)")
            }
            try body(number, record)
        }
    }

    static func table(path: String, fd: Int32, delimiter: UnicodeScalar, role: Role, map: ColumnMap, note: ((String) -> Void)? = nil,
                      _ body: (Int, JSONObject) throws -> Void) throws {
        if let line = try QuoteScan.unclosedQuote(fd: fd, delimiter: UInt8(delimiter.value)) {
            throw ConfigError("\(path): line \(line): a quote opens a cell there and never closes, so every row after it would be read as that one cell; close the quote, or remove it")
        }
        lseek(fd, 0, SEEK_SET)
        let stream = FileInputStream(fd: fd)
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true, trimFields: true, delimiter: delimiter)
        } catch {
            throw ConfigError("\(path): no header row (the first row names the columns)")
        }
        guard var header = reader.headerRow, !header.isEmpty else { throw ConfigError("\(path): no header row (the first row names the columns)") }
        if header[0].hasPrefix("\u{FEFF}") { header[0].removeFirst() }
        var fields = header.map { map.field(for: $0, role: role) }
        var waiting: [[String]] = []
        let main = role == .questions ? RecordField.query.rawValue : RecordField.answer.rawValue
        if !fields.contains(main) && !(role == .questions && fields.contains(RecordField.expected.rawValue)) {
            // Names that say nothing: what the first rows hold decides.
            while waiting.count < 20, let cells = reader.next() { waiting.append(cells) }
            guard let chosen = ColumnGuess.columns(header: header, fields: fields, rows: waiting, main: main) else {
                throw ConfigError("\(path): line 1: none of the \(header.count) columns named in the header row is the question or the answer; name one question, answer or expected, or map one with --map COLUMN=answer (or =query)")
            }
            fields = chosen.fields
            note?("\(path): \(chosen.note)")
        }
        var row = 1
        var numbered = 0
        while let cells = waiting.isEmpty ? reader.next() : waiting.removeFirst() {
            row += 1
            if cells.allSatisfy(\.isEmpty) { continue }
            var record = JSONObject()
            for (field, cell) in zip(fields, cells) where !cell.isEmpty {
                record[field] = value(cell, field: field)
            }
            numbered += 1
            // A student's answers without ids are matched by what they name, else by their order
            // (the grader says so); a problem set's rows are numbered.
            if record[RecordField.id.rawValue] == nil && role == .questions { record[RecordField.id.rawValue] = .string(String(numbered)) }
            try body(row, record)
        }
        if let error = reader.error {
            let what = { if case .unicodeDecoding? = error as? CSVError { return "not UTF-8 text" } else { return "\(error)" } }()
            throw ConfigError("\(path): row \(row + 1): \(what)")
        }
    }

    /// A cell as its field holds it: lists (tests, choices, labels, aliases in `expected`) from a
    /// JSON array, or for tests and choices from lines or " | "; everything else as text.
    static func value(_ cell: String, field: String) -> JSONValue {
        if cell.hasPrefix("["), case .array(let items)? = try? JSONParser.parse(cell) { return .array(items) }
        switch RecordField(rawValue: field) {
        case .tests: return .array(cell.split(separator: "\n").map { .string(String($0)) })
        case .choices, .labels: return .array(cell.components(separatedBy: " | ").map { .string($0.trimmingCharacters(in: .whitespaces)) })
        default: return .string(cell)
        }
    }

    private static let numbered = try! NSRegularExpression(pattern: #"^\s*(?:q(?:uestion)?\s*)?(\d+)\s*[.):]\s*(.*)$"#, options: [.caseInsensitive])

    /// Numbered items ("1. …", "Q2) …", "Question 3: …") with the lines under each; without
    /// numbers, one item per non-empty line. Two passes over the file: whether any line is
    /// numbered decides what a line without a number is.
    static func plainText(fd: Int32, path: String, role: Role, _ body: (Int, JSONObject) throws -> Void) throws {
        let field: RecordField = role == .questions ? .query : .answer
        func lines(_ each: (Int, String) throws -> Void) throws {
            lseek(fd, 0, SEEK_SET)
            let reader = LineReader(fd: fd)
            var number = 0
            while let line = reader.next() {
                number += 1
                var bytes = line.bytes
                if number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
                guard !line.truncated, let text = String(validating: bytes, as: UTF8.self) else {
                    throw ConfigError("\(path): line \(number) is not a line of UTF-8 text")
                }
                try each(number, text)
            }
        }
        func numberedItem(_ line: String) -> (id: String, text: String)? {
            guard let match = numbered.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                  let number = Range(match.range(at: 1), in: line), let rest = Range(match.range(at: 2), in: line) else { return nil }
            return (String(line[number]), String(line[rest]))
        }
        var isNumbered = false
        try lines { _, raw in if !isNumbered { isNumbered = numberedItem(raw.trimmingCharacters(in: .whitespaces)) != nil } }
        var pending: (line: Int, id: String, text: String)?
        var count = 0
        func emit() throws {
            guard let item = pending else { return }
            try body(item.line, [RecordField.id.rawValue: .string(item.id), field.rawValue: .string(item.text)])
            pending = nil
        }
        // Continuation lines keep their indentation: an answer may be code.
        try lines { number, raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            if let item = numberedItem(line) {
                try emit()
                pending = (number, item.id, item.text)
                count += 1
            } else if line.isEmpty {
                return
            } else if isNumbered, pending != nil {
                pending!.text += (pending!.text.isEmpty ? "" : "\n") + raw
            } else {
                try emit()
                count += 1
                pending = (number, String(count), line)
            }
        }
        try emit()
    }
}

/// Where a CSV cell's opening quote is never closed (RFC 4180: a quote at the start of a cell
/// opens it, two quotes inside are one, and one more quote closes it), read in chunks, so
/// memory does not grow with the file.
enum QuoteScan {
    static func unclosedQuote(fd: Int32, delimiter: UInt8) throws -> Int? {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var line = 1, openedAt = 0
        var inQuotes = false, cellStart = true, quoteSeen = false
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw ConfigError("cannot read the file: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            for byte in buffer[0..<n] {
                if inQuotes {
                    if quoteSeen {
                        quoteSeen = false
                        if byte == 0x22 { continue }
                        inQuotes = false
                    } else if byte == 0x22 {
                        quoteSeen = true
                        continue
                    } else {
                        if byte == 0x0A { line += 1 }
                        continue
                    }
                }
                switch byte {
                case 0x0A: line += 1; cellStart = true
                case delimiter: cellStart = true
                case 0x22 where cellStart: inQuotes = true; openedAt = line; cellStart = false
                case 0x20, 0x09, 0x0D: break
                default: cellStart = false
                }
            }
        }
        return inQuotes && !quoteSeen ? openedAt : nil
    }
}

/// `--map COLUMN=FIELD,…`: which record field a column holds, where its name does not say.
public struct ColumnMap: Sendable, Equatable {
    public var fields: [String: String] = [:]
    public init() {}

    /// "Frage=query,Lösung=expected"; the field must be one of the record's.
    public init(_ text: String) throws {
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else { throw ConfigError("--map takes COLUMN=FIELD pairs separated by commas, got '\(pair)'") }
            guard RecordField(rawValue: parts[1]) != nil || parts[1] == "student" else {
                throw ConfigError("--map: '\(parts[1])' is not a record field (id, query, expected, answer, metric, tests, choices, labels, student, …)")
            }
            fields[ProblemSetFile.key(Substring(parts[0]))] = parts[1]
        }
    }

    /// The field a column holds: as mapped, else by its name, else the name itself.
    func field(for header: String, role: ProblemSetFile.Role) -> String {
        let key = ProblemSetFile.key(Substring(header))
        if let mapped = fields[key] { return mapped }
        if ProblemSetFile.answerNames.contains(key) { return role == .questions ? RecordField.expected.rawValue : RecordField.answer.rawValue }
        if ProblemSetFile.marksNames.contains(key) { return "marks" }
        if key == "student" || key == "name" { return "student" }
        return ProblemSetFile.headerNames[key]?.rawValue ?? header
    }
}

/// Records as a spreadsheet: CSV or TSV with a header row, cells quoted where they need it.
public enum TableWriter {
    public static func write(rows: [[String]], header: [String], delimiter: String) throws -> Data {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream, delimiter: delimiter)
        try writer.write(row: header)
        for row in rows { try writer.write(row: row) }
        writer.stream.close()
        return (stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()) + Data("\n".utf8)
    }

    /// A record field as a cell: strings as they are, anything else as JSON.
    public static func cell(_ value: JSONValue?) -> String {
        guard let value, !value.isNull else { return "" }
        return value.stringValue ?? JSONWriter.string(value)
    }
}

/// Columns recognised by what their cells hold when their names say nothing (`Q`, `Ans` are
/// known; `Response #`, `Ihre Antwort` are not): a column of question numbers or ids ("1",
/// "Q3", "3)") is the id, and the column with the longest cells of the rest is the answer (or,
/// in a problem set, the question).
enum ColumnGuess {
    private static let idLike = try! NSRegularExpression(pattern: #"^(?i)(?:q(?:uestion)?\s*)?\d{1,4}[.):]?$"#)

    static func columns(header: [String], fields: [String], rows: [[String]], main: String) -> (fields: [String], note: String)? {
        guard !rows.isEmpty else { return nil }
        var fields = fields
        func cells(_ column: Int) -> [String] { rows.compactMap { column < $0.count ? $0[column] : nil }.filter { !$0.isEmpty } }
        let known = Set(RecordField.allCases.map(\.rawValue) + ["student", "marks"])
        let unknown = fields.indices.filter { !known.contains(fields[$0]) }
        var chosen: [String] = []
        if !fields.contains(RecordField.id.rawValue), let id = unknown.first(where: { column in
            let values = cells(column)
            return !values.isEmpty && values.allSatisfy { idLike.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }
        }) {
            fields[id] = RecordField.id.rawValue
            chosen.append("column \(id + 1) as the question numbers")
        }
        let rest = unknown.filter { fields[$0] != RecordField.id.rawValue }
        guard let answer = rest.max(by: { a, b in
            cells(a).reduce(0) { $0 + $1.count } < cells(b).reduce(0) { $0 + $1.count }
        }), !cells(answer).isEmpty else { return nil }
        fields[answer] = main
        chosen.append("column \(answer + 1) as the \(main == RecordField.answer.rawValue ? "answers" : "questions")")
        return (fields, "no header names the " + (main == RecordField.answer.rawValue ? "answer" : "question") + " column; read " + chosen.joined(separator: " and ")
                    + " from what the first rows hold (name them, or use --map, to choose otherwise)")
    }
}
