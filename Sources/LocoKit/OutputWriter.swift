#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to a file descriptor. Stages flush before they would block on input, so a
/// pipe downstream sees each record as soon as the stage has nothing else to do.
///
/// A write that fails (a full disk, an I/O error, a file size limit) ends the process with one
/// line on stderr and exit status 2. Where the output is a regular file, it is first cut back to
/// the end of its last whole line, so a reader never finds a torn record where a whole one was
/// meant to be; `onFailure` runs before the exit (a resume removes the file it was building).
public final class OutputWriter {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let limit: Int
    private var closed = false
    /// What the writer writes, for the failure line: "standard output", or a path.
    public let name: String
    /// Set when the output is a regular file: the file offset of `buffer[0]`, and of the end of
    /// the last whole line written.
    private var position: off_t?
    private var wholeEnd: off_t = 0
    private var linesWritten = 0
    /// Runs before the process exits on a failed write, and says what became of the output
    /// ("OUT is as it was"); nil says how many whole records it holds.
    public var onFailure: (() -> String)?

    public init(fd: Int32 = 1, limit: Int = 1 << 16, name: String? = nil) {
        self.fd = fd
        self.limit = limit
        self.name = name ?? (fd == 1 ? "standard output" : "the output")
        buffer.reserveCapacity(limit * 2)
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
            // O_APPEND (`>>`) writes at the end whatever the offset says.
            let appending = fcntl(fd, F_GETFL) & O_APPEND != 0
            let start = appending ? info.st_size : lseek(fd, 0, SEEK_CUR)
            position = start
            wholeEnd = start
        }
    }

    public func writeLine(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        if buffer.count >= limit { flush() }
    }

    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= limit { flush() }
    }

    public func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                // The reader went away (`| head -1`): end quietly, as Unix tools do.
                if errno == EPIPE { exit(0) }
                fail(errno)
            }
            if let start = position, let newline = buffer[offset..<(offset + n)].lastIndex(of: 0x0A) {
                wholeEnd = start + off_t(newline + 1)
            }
            linesWritten += buffer[offset..<(offset + n)].count(where: { $0 == 0x0A })
            offset += n
        }
        position = position.map { $0 + off_t(buffer.count) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, makes the file durable (fsync) and closes the descriptor (for a writer that owns
    /// a file): a failure here is a failed write like any other.
    public func close() {
        flush()
        closed = true
        if position != nil, fsync(fd) != 0, errno != EINVAL { fail(errno) }
        if systemClose(fd) != 0, errno != EINTR { fail(errno) }
    }

    private func fail(_ code: Int32) -> Never {
        let reason = String(cString: strerror(code))
        if position != nil { _ = ftruncate(fd, wholeEnd) }
        let outcome = onFailure?() ?? (position != nil
            ? "it holds the \(linesWritten) whole record\(linesWritten == 1 ? "" : "s") written before the failure" : "the last record there may be cut off")
        printError("\(toolName()): cannot write \(name): \(reason); stopped: \(outcome)")
        exit(2)
    }

    deinit { if !closed { flush() } }
}

/// One line to stderr, unbuffered: diagnostics must not wait behind records.
public func printError(_ message: String) {
    let line = Array((message + "\n").utf8)
    _ = line.withUnsafeBytes { systemWrite(2, $0.baseAddress, $0.count) }
}

/// The running tool's name, as its messages begin.
public func toolName() -> String {
    String(CommandLine.arguments.first?.split(separator: "/").last ?? "loco")
}

private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, p, n)
    #else
    return Darwin.write(fd, p, n)
    #endif
}

private func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Darwin.close(fd)
    #endif
}
