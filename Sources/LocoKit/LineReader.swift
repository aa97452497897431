#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads newline-terminated lines from a file descriptor without Foundation's overhead.
/// A final line without a newline still counts. A trailing CR (CRLF files) is dropped.
/// Lines longer than `maxLineBytes` are cut there and flagged, so one runaway line cannot
/// exhaust memory.
public final class LineReader {
    public static let defaultMaxLineBytes = 64 << 20

    public struct Line {
        public var bytes: [UInt8]
        /// True when the line was longer than the limit and only its start is in `bytes`.
        public var truncated: Bool
    }

    private let fd: Int32
    private let maxLineBytes: Int
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var eof = false
    /// Called before a read that may block, so a writer can flush what is finished first.
    public var beforeBlockingRead: (() -> Void)?

    public init(fd: Int32 = 0, maxLineBytes: Int = LineReader.defaultMaxLineBytes, chunkSize: Int = 1 << 16) {
        self.fd = fd
        self.maxLineBytes = maxLineBytes
        self.buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    public func next() -> Line? {
        var carried: [UInt8] = []
        var truncated = false
        while true {
            if let nl = findNewline() {
                let line = Array(buffer[start..<nl])
                start = nl + 1
                return finish(carried.isEmpty ? line : carried + line, truncated: truncated, room: &carried)
            }
            // No newline in what is buffered: keep it (up to the limit) and read more.
            if start < end {
                let room = maxLineBytes - carried.count
                if room > 0 { carried.append(contentsOf: buffer[start..<min(end, start + room)]) }
                if end - start > room { truncated = true }
            }
            start = 0
            end = 0
            if eof || !fill() {
                if carried.isEmpty && !truncated { return nil }
                return finish(carried, truncated: truncated, room: &carried)
            }
        }
    }

    /// Whether `next()` would return a whole line without reading: what a stage may batch
    /// without making a trickling pipe wait.
    public var hasBufferedLine: Bool { findNewline() != nil }

    private func finish(_ line: [UInt8], truncated: Bool, room: inout [UInt8]) -> Line {
        var line = line
        if line.count > maxLineBytes { line.removeSubrange(maxLineBytes...); return Line(bytes: line, truncated: true) }
        if !truncated, line.last == 0x0D { line.removeLast() }
        return Line(bytes: line, truncated: truncated)
    }

    private func findNewline() -> Int? {
        guard start < end else { return nil }
        return buffer.withUnsafeBufferPointer { p -> Int? in
            guard let base = p.baseAddress, let hit = memchr(base + start, 0x0A, end - start) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    private func fill() -> Bool {
        beforeBlockingRead?()
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { end = n; return true }
            if n < 0 && errno == EINTR { continue }
            eof = true
            return false
        }
    }
}
