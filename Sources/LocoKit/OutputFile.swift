import Foundation

/// An OUT file a run writes: one run at a time (an advisory lock, which names the process that
/// holds it), and whole or not at all.
public enum OutputFile {
    /// A writer for a run that writes `path` afresh, holding its lock until the process ends.
    public static func create(_ path: String) throws -> OutputWriter {
        let fd = try lock(path)
        guard ftruncate(fd, 0) == 0 else { throw ConfigError("cannot write \(path): \(String(cString: strerror(errno)))") }
        return OutputWriter(fd: fd, name: path)
    }

    /// Takes the lock on `path` (creating it, empty, when it does not exist) for as long as the
    /// process lives, or refuses at once when another run holds it. The descriptor is returned
    /// and must stay open: closing any descriptor of the file would drop the lock (POSIX record
    /// locks belong to the process and the file, which is also why they can name their holder).
    @discardableResult
    public static func lock(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ConfigError("cannot write \(path): \(String(cString: strerror(errno)))") }
        var request = flock()
        request.l_type = Int16(F_WRLCK)
        request.l_whence = Int16(SEEK_SET)
        if fcntl(fd, F_SETLK, &request) != 0 {
            let busy = errno == EAGAIN || errno == EACCES
            let reason = String(cString: strerror(errno))
            var holder = flock()
            holder.l_type = Int16(F_WRLCK)
            holder.l_whence = Int16(SEEK_SET)
            let pid = fcntl(fd, F_GETLK, &holder) == 0 && holder.l_type != Int16(F_UNLCK) && holder.l_pid > 0 ? " (process \(holder.l_pid))" : ""
            Foundation.close(fd)
            guard busy else { throw ConfigError("cannot lock \(path): \(reason)") }
            throw ConfigError("\(path) is being written by another run\(pid): wait for it to end, or write to another file")
        }
        return fd
    }

    /// Writes `bytes` as the whole of `path`: into a file beside it, made durable (fsync), then
    /// renamed over it, so `path` is either as it was or complete.
    public static func replace(_ path: String, with bytes: [UInt8]) throws {
        let temporary = path + ".loco-\(getpid())-tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ConfigError("cannot write \(path): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return try abandon(temporary, fd: fd, path: path) }
            written += n
        }
        guard fsync(fd) == 0 || errno == EINVAL else { return try abandon(temporary, fd: fd, path: path) }
        guard Foundation.close(fd) == 0 else { return try abandon(temporary, fd: -1, path: path) }
        guard rename(temporary, path) == 0 else { return try abandon(temporary, fd: -1, path: path) }
    }

    private static func abandon(_ temporary: String, fd: Int32, path: String) throws {
        let reason = String(cString: strerror(errno))
        if fd >= 0 { Foundation.close(fd) }
        unlink(temporary)
        throw ConfigError("cannot write \(path): \(reason); it is as it was")
    }
}
