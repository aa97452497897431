import Foundation

/// `--resume OUT`: continue a run that was interrupted, so that OUT ends as an uninterrupted run
/// would have left it: every input record once, in input order.
///
/// Finished records are matched to input records by `id` (any JSON value), the k-th input record
/// with an id to the k-th finished record with that id, so ids that repeat lose nothing; a record
/// without an id is matched by its position, which holds when OUT came from earlier runs over the
/// same input. Error records and a torn last line (a write cut off mid-line) in OUT are run again.
/// The new OUT is written beside the old one and replaces it at the end (`finish`): a finished
/// record goes back where its input line is, so a record that failed before and now succeeds
/// sits in its place, not at the end. Until `finish`, the old OUT is untouched, and if the new one
/// cannot be written whole (a full disk), it stays so. OUT is locked from `prepare` on, so a second
/// run on it refuses at once.
public final class ResumeFile {
    public let path: String
    /// Error records and torn lines left out, to run again.
    public let dropped: Int
    /// Finished records found in OUT, by key, oldest first; taken as input lines match them.
    private var kept: [String: [[UInt8]]]
    /// Every finished record in OUT's order, to keep those no input line claimed.
    private let order: [(key: String, bytes: [UInt8])]
    private var taken: [String: Int] = [:]

    /// Finished records kept from OUT.
    public var count: Int { order.count }

    /// `12 records done, 2 error or torn lines removed to run again`
    public var summary: String {
        "\(count) records done" + (dropped > 0 ? ", \(dropped) error or torn lines removed to run again" : "")
    }

    public static func key(id: JSONValue?, line: Int) -> String {
        if let id, !id.isNull { return "id:" + JSONWriter.string(id) }
        return "line:\(line)"
    }

    private init(path: String, dropped: Int, order: [(key: String, bytes: [UInt8])]) {
        self.path = path
        self.dropped = dropped
        self.order = order
        self.kept = Dictionary(grouping: order, by: \.key).mapValues { $0.map(\.bytes) }
    }

    public static func prepare(_ path: String) throws -> ResumeFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw ConfigError("cannot read \(path) to resume") }
            try OutputFile.lock(path)
            return ResumeFile(path: path, dropped: 0, order: [])
        }
        // Locked after reading: closing any descriptor of OUT would drop the lock.
        try OutputFile.lock(path)
        var bytes = [UInt8](data)
        var dropped = 0
        if let last = bytes.last, last != 0x0A {
            let cut = bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            bytes.removeSubrange(cut...)
            dropped += 1
        }
        var order: [(key: String, bytes: [UInt8])] = []
        // A record without an id is matched by its position in OUT, error records counted: one
        // run, or a resume that finished, writes one line per input line in input order.
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().enumerated() {
            guard case .object(let record)? = try? JSONParser.parse(Array(line)), !record.hasError else {
                dropped += 1
                continue
            }
            order.append((key(id: record[.id], line: index + 1), Array(line)))
        }
        return ResumeFile(path: path, dropped: dropped, order: order)
    }

    /// The finished record an earlier run left for this input line, or nil to run it. Ask once
    /// per input line, in input order.
    public func earlier(line: Int, record: JSONObject?) -> [UInt8]? {
        let key = ResumeFile.key(id: record?["id"], line: line)
        guard var queue = kept[key], !queue.isEmpty else { return nil }
        let first = queue.removeFirst()
        kept[key] = queue
        taken[key, default: 0] += 1
        return first
    }

    private var temporary: String { path + ".resume-tmp" }

    /// A writer for the new OUT (beside the old one until `finish`).
    public func writer() throws -> OutputWriter {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ConfigError("cannot write \(temporary) to resume: \(String(cString: strerror(errno)))") }
        let writer = OutputWriter(fd: fd, name: temporary)
        writer.onFailure = { [temporary, path] in
            unlink(temporary)
            return "\(path) is as it was"
        }
        return writer
    }

    /// Ends the new OUT with the finished records no input line claimed (an interrupted resume
    /// leaves the ones it did not reach; the next resume puts them back in place) and puts it in
    /// place of the old once it is whole and durable (`close` fsyncs, and fails the run if not).
    public func finish(_ writer: OutputWriter) throws {
        var claimed = taken
        for (key, bytes) in order {
            if let n = claimed[key], n > 0 {
                claimed[key] = n - 1
            } else {
                writer.writeLine(bytes)
            }
        }
        writer.close()
        guard rename(temporary, path) == 0 else { throw ConfigError("cannot replace \(path) with the resumed records: \(String(cString: strerror(errno)))") }
    }
}
