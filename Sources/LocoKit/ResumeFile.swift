import Foundation

/// `--resume OUT`: continue a run that was interrupted, appending to OUT only what it lacks.
///
/// Records are matched by `id` (any JSON value); a record without one is matched by its line
/// number, which holds when OUT came from one earlier run over the same input. Error records in
/// OUT are dropped and their records run again, and a torn last line (a write cut off mid-line)
/// is removed, so OUT ends as an uninterrupted run would have left it.
public struct ResumeFile {
    public let path: String
    public let done: Set<String>
    /// Error records and torn lines removed from OUT before appending.
    public let dropped: Int

    public static func key(id: JSONValue?, line: Int) -> String {
        if let id, !id.isNull { return "id:" + JSONWriter.string(id) }
        return "line:\(line)"
    }

    public static func prepare(_ path: String) throws -> ResumeFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw ConfigError("cannot read \(path) to resume") }
            return ResumeFile(path: path, done: [], dropped: 0)
        }
        var bytes = [UInt8](data)
        var dropped = 0
        if let last = bytes.last, last != 0x0A {
            let cut = bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            bytes.removeSubrange(cut...)
            dropped += 1
        }
        var done: Set<String> = []
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().enumerated() {
            guard case .object(let record)? = try? JSONParser.parse(Array(line)), !record.hasError else {
                dropped += 1
                continue
            }
            done.insert(key(id: record["id"], line: index + 1))
            kept.append(contentsOf: line)
            kept.append(0x0A)
        }
        if dropped > 0 {
            let temporary = path + ".resume-tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(kept)),
                  rename(temporary, path) == 0 else { throw ConfigError("cannot rewrite \(path) to resume") }
        }
        return ResumeFile(path: path, done: done, dropped: dropped)
    }

    public func contains(line: Int, record: JSONObject?) -> Bool {
        done.contains(ResumeFile.key(id: record?["id"], line: line))
    }

    /// A writer that appends to OUT.
    public func appender() throws -> OutputWriter {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { throw ConfigError("cannot open \(path) for appending") }
        return OutputWriter(fd: fd)
    }
}
