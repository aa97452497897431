import Foundation
import LocoKit
import LocoRegistry

/// One line of router training or test data: `query`, and `adapter` (null or absent: the base
/// model); `source`, the public collection it came from, for leave-one-source-out evaluation.
public struct LabelledQuery: Equatable, Sendable {
    public var line: Int
    public var query: String
    public var adapter: String?
    public var source: String?

    public init(line: Int, query: String, adapter: String?, source: String? = nil) {
        self.line = line
        self.query = query
        self.adapter = adapter
        self.source = source
    }

    /// Each registry router keyword as a one-phrase training query for its adapter, three times:
    /// the public datasets have few short requests, and "proofread my essay" should not need a
    /// long abstract to be recognised. They are one source, "registry keywords".
    public static func keywordSeeds(_ registry: Registry) -> [LabelledQuery] {
        registry.names.flatMap { name in
            registry[name]!.routerKeywords.keys.sorted().flatMap {
                Array(repeating: LabelledQuery(line: 0, query: $0, adapter: name, source: "registry keywords"), count: 3)
            }
        }
    }

    /// Reads a labelled JSON Lines file (`-`: stdin); see `read(from:)`.
    public static func read(path: String, knownAdapters: Set<String>, skip: (String) -> Void) throws -> [LabelledQuery] {
        let fd = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else { throw ConfigError("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { if fd != 0 { close(fd) } }
        return read(from: LineReader(fd: fd), knownAdapters: knownAdapters, skip: skip)
    }

    /// Reads labelled JSON Lines; a bad line is reported through `skip` (one line, naming the
    /// line and the field) and left out, so one typo does not cost the whole file.
    public static func read(from reader: LineReader, knownAdapters: Set<String>, skip: (String) -> Void) -> [LabelledQuery] {
        var result: [LabelledQuery] = []
        var number = 0
        while let line = reader.next() {
            number += 1
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                guard !line.truncated else { throw RecordError("line longer than \(LineReader.defaultMaxLineBytes) bytes") }
                guard let record = try JSONParser.parse(line.bytes).objectValue else { throw RecordError("not a JSON object") }
                let query = try record.requireString(.query)
                let adapter = try record.optionalString(.adapter)
                if let adapter, !knownAdapters.contains(adapter) {
                    throw RecordError("unknown adapter '\(adapter)' (known: \(knownAdapters.sorted().joined(separator: ", ")), or null for the base model)", field: .adapter)
                }
                result.append(LabelledQuery(line: number, query: query, adapter: adapter, source: record["source"]?.stringValue))
            } catch let error as RecordError {
                skip("line \(number)\(error.field.map { ", field '\($0)'" } ?? ""): \(error.message)")
            } catch {
                skip("line \(number): \(error)")
            }
        }
        return result
    }
}
