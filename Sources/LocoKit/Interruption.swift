#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

nonisolated(unsafe) private var interruptSignal: Int32 = 0

private func noteInterrupt(_ signal: Int32) {
    interruptSignal = signal
    // A second Ctrl-C means "now": the default action ends the process at once.
    Glibc.signal(SIGINT, SIG_DFL)
    Glibc.signal(SIGTERM, SIG_DFL)
}

/// Ctrl-C and SIGTERM end a stage between records, never inside one, so every record it
/// finished is written. A stage reading a pipe keeps reading until the pipe closes: its upstream
/// got the same signal, and what that upstream finished is still in the pipe.
public enum Interruption {
    public static func install() {
        signal(SIGINT, noteInterrupt)
        signal(SIGTERM, noteInterrupt)
        // A parent may have spawned us with these blocked (threads of test runners do).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    public static var requested: Bool { interruptSignal != 0 }

    /// Forgets an interrupt that has been dealt with and listens again (`loco chat`: Ctrl-C stops
    /// the answer being generated, not the conversation).
    public static func rearm() {
        interruptSignal = 0
        install()
    }

    /// The conventional status of a process ended by a signal: 128 + its number.
    public static var exitCode: Int32 { 128 + interruptSignal }

    public static var stdinIsPipe: Bool {
        var info = stat()
        return fstat(0, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO
    }
}

/// Thrown by a stage whose work was cut short by an interrupt: its record is not written.
public struct Interrupted: Error {
    public init() {}
}
