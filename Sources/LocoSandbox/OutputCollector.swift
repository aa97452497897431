import Foundation

/// Reads a pipe to its end on a thread of its own, keeping the first `keeping` bytes and
/// discarding the rest, so a writer that prints without end never blocks and never fills memory.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var kept = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle, keeping limit: Int) {
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                if kept.count < limit { kept.append(chunk.prefix(limit - kept.count)) }
                lock.unlock()
            }
            done.signal()
        }
        thread.start()
    }

    /// What was kept, once the pipe ended or `seconds` passed (a writer may outlive the run).
    func text(waitingAtMost seconds: Double) -> String {
        _ = done.wait(timeout: .now() + seconds)
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: kept, as: UTF8.self)
    }
}
