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
    public static func records(at path: String, role: Role, map: ColumnMap = ColumnMap()) throws -> (format: Format, records: [(line: Int, record: JSONObject)]) {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError("cannot read \(path)") }
        guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError("\(path) is not a text file: expected JSON Lines, CSV or TSV with a header row, or plain text with one question per line")
        }
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let firstLine = body.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let format = format(path: path, firstLine: firstLine)
        switch format {
        case .jsonl: return (format, try jsonLines(body, path: path))
        case .csv, .tsv: return (format, try table(body, delimiter: format == .csv ? "," : "\t", path: path, role: role, map: map))
        case .text: return (format, plainText(body, role: role))
        }
    }

    /// `path` as JSON Lines the stage runner reads: itself when it is JSON Lines, else a
    /// temporary file of its records (the caller removes it).
    public static func asJSONLines(_ path: String, map: ColumnMap = ColumnMap()) throws -> (path: String, converted: Bool, format: Format) {
        let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readData(ofLength: 4096)) ?? Data()
        let firstLine = String(decoding: head, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        if format(path: path, firstLine: firstLine) == .jsonl { return (path, false, .jsonl) }
        let (format, records) = try records(at: path, role: .questions, map: map)
        let out = NSTemporaryDirectory() + "loco-problems-\(UUID().uuidString).jsonl"
        var bytes: [UInt8] = []
        for (_, record) in records { bytes += JSONWriter.serialize(.object(record)) + [0x0A] }
        guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else { throw ConfigError("cannot write \(out)") }
        return (out, true, format)
    }

    static func key(_ header: Substring) -> String {
        header.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" }
    }

    static func jsonLines(_ text: String, path: String) throws -> [(line: Int, record: JSONObject)] {
        var out: [(Int, JSONObject)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard case .object(let record)? = try? JSONParser.parse(String(line)) else {
                throw ConfigError("\(path): line \(index + 1) is not a JSON object (JSON Lines: one object per line)")
            }
            out.append((index + 1, record))
        }
        return out
    }

    static func table(_ text: String, delimiter: UnicodeScalar, path: String, role: Role, map: ColumnMap) throws -> [(line: Int, record: JSONObject)] {
        let reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true, delimiter: delimiter)
        guard let header = reader.headerRow, !header.isEmpty else { throw ConfigError("\(path): no header row (the first row names the columns)") }
        let fields = header.map { map.field(for: $0, role: role) }
        guard fields.contains(where: { $0 == RecordField.query.rawValue || $0 == RecordField.answer.rawValue || $0 == RecordField.expected.rawValue }) else {
            throw ConfigError("\(path): no column for the question or the answer in the header '\(header.joined(separator: String(Character(delimiter))))'; name one question, answer or expected, or map one with --map COLUMN=query")
        }
        var out: [(Int, JSONObject)] = []
        var row = 1
        while let cells = reader.next() {
            row += 1
            if cells.allSatisfy(\.isEmpty) { continue }
            var record = JSONObject()
            for (field, cell) in zip(fields, cells) where !cell.isEmpty {
                record[field] = value(cell, field: field)
            }
            if record[RecordField.id.rawValue] == nil { record[RecordField.id.rawValue] = .string(String(out.count + 1)) }
            out.append((row, record))
        }
        if let error = reader.error { throw ConfigError("\(path): row \(row + 1): \(error)") }
        return out
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
    /// numbers, one item per non-empty line.
    static func plainText(_ text: String, role: Role) -> [(line: Int, record: JSONObject)] {
        let field: RecordField = role == .questions ? .query : .answer
        // Continuation lines keep their indentation: an answer may be code.
        let raw = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        let lines = raw.map { $0.trimmingCharacters(in: .whitespaces) }
        let isNumbered = lines.contains { numbered.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }
        var items: [(line: Int, id: String, text: String)] = []
        for (index, line) in lines.enumerated() {
            if let match = numbered.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
               let number = Range(match.range(at: 1), in: line), let rest = Range(match.range(at: 2), in: line) {
                items.append((index + 1, String(line[number]), String(line[rest])))
            } else if line.isEmpty {
                continue
            } else if isNumbered, !items.isEmpty {
                items[items.count - 1].text += (items[items.count - 1].text.isEmpty ? "" : "\n") + raw[index]
            } else {
                items.append((index + 1, String(items.count + 1), line))
            }
        }
        return items.map { ($0.line, [RecordField.id.rawValue: .string($0.id), field.rawValue: .string($0.text)]) }
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
        if key == "answer" { return role == .questions ? RecordField.expected.rawValue : RecordField.answer.rawValue }
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
