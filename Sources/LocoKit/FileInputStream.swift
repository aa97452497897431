import Foundation

/// A file as an `InputStream` whose `hasBytesAvailable` is true only while bytes remain: the CSV
/// reader asks it before each byte, and swift-corelibs-foundation's file stream says true at the
/// end of the file too, which the reader then reports as a read error.
final class FileInputStream: InputStream {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0, end = 0
    private var status: Stream.Status = .notOpen
    private var failure: Error?

    /// Reads `fd` from its current offset; the caller keeps it open for as long as the stream is read.
    init(fd: Int32) {
        self.fd = fd
        super.init(data: Data())
    }

    override func open() { status = .open }
    override func close() { status = .closed }
    override var streamStatus: Stream.Status { status }
    override var streamError: Error? { failure }

    override var hasBytesAvailable: Bool {
        if start < end { return true }
        start = 0
        end = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { failure = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO); status = .error }
            end = max(0, n)
            return end > 0
        }
    }

    override func read(_ out: UnsafeMutablePointer<UInt8>, maxLength: Int) -> Int {
        guard hasBytesAvailable else { return status == .error ? -1 : 0 }
        let n = min(maxLength, end - start)
        buffer.withUnsafeBytes { out.update(from: $0.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, count: n) }
        start += n
        return n
    }
}
