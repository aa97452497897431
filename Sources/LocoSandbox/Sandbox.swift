import Foundation
import LocoKit

/// Runs code a model (or a student) wrote against its tests where it can neither hurt the machine
/// nor forge its result. See docs/sandbox.md for what is promised and what is not.
///
/// Each run is one bubblewrap (`bwrap`) sandbox: new user, PID, network, mount, IPC and UTS
/// namespaces; a root file system of its own holding only /usr (read-only), /proc, a minimal /dev,
/// the harness and the code (read-only), and a size-limited tmpfs at /tmp; every capability
/// dropped, no new privileges, no further user namespaces. It runs as `nobody` for root and for an
/// ordinary user alike (root first switches to the real `nobody`). The run's processes are held to
/// totals: process count by `RLIMIT_NPROC` in the run's own user namespace, memory by a watchdog
/// that sums the private memory of the whole process tree, disk by the tmpfs's size.
///
/// Pass or fail is decided by the harness (Harness/harness.py), which evaluates each test in its
/// own process and reaches the code only to ask for values, so nothing the code does can make a
/// test pass except returning the right value. A program answer runs without it (`run(program:)`):
/// what it prints is its answer.
public struct Sandbox: Sendable {
    public struct Limits: Sendable, Equatable {
        public var wallSeconds: Double = 10
        public var cpuSeconds = 5
        /// For the whole run: the private memory of all its processes together.
        public var memoryBytes = 1 << 30
        /// For the whole run: every process it starts, the harness included.
        public var processes = 64
        public var fileBytes = 10 << 20
        /// For the whole run: everything written under /tmp, its only writable place.
        public var diskBytes = 32 << 20
        public var openFiles = 64
        public init() {}
    }

    /// How one run ended: a failure reason per test (nil where the test passed), and, when the
    /// run as a whole was stopped, the limit that stopped it.
    public struct Verdict: Sendable, Equatable {
        public var failures: [String?]
        public var limit: String?
        /// What the code printed (its standard output and error), at most the first 64 KiB.
        public var output: String
        public var seconds: Double

        public var passedCount: Int { limit == nil ? failures.count(where: { $0 == nil }) : 0 }
        public var passed: Bool { !failures.isEmpty && passedCount == failures.count }
        /// One line for a record: "passed", or why not.
        public var summary: String {
            if passed { return "passed" }
            if let limit { return limit }
            let failed = failures.compactMap { $0 }
            let reason = failed.first.map { ": \($0)" } ?? ""
            return failures.count == 1 ? String(reason.dropFirst(2)) : "\(passedCount) of \(failures.count) tests passed\(reason)"
        }
    }

    public var limits = Limits()
    let harness: URL
    let bubblewrap: String

    /// A sandbox, or the reason none can be had here (no bubblewrap, no user namespaces): then
    /// nothing is run at all, never a weaker sandbox.
    ///
    /// With `probe`, one run (a test that passes and one that fails) proves the sandbox works
    /// before anything else runs (once a probe has passed, bubblewrap is proven for the process).
    /// Without it, that run waits until a run gives no verdict or a program never starts, and
    /// then decides whether the sandbox or the code is to blame: a one-off program (`loco query`)
    /// does not pay for two sandboxes, and nothing runs outside one either way.
    public static func make(limits: Limits = Limits(), bubblewrap: String? = which("bwrap"), probe: Bool = true) throws -> Sandbox {
        guard let bubblewrap, FileManager.default.isExecutableFile(atPath: bubblewrap) else {
            throw SandboxUnavailable("needs sandbox: bubblewrap is not installed (run 'loco setup' or 'sudo apt-get install bubblewrap'); code is never run without it")
        }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw SandboxUnavailable("needs sandbox: \(python) is missing; the sandbox runs the system's Python 3")
        }
        guard let harness = Bundle.module.url(forResource: "Harness", withExtension: nil) else {
            throw SandboxUnavailable("needs sandbox: the test harness is missing from this build")
        }
        let sandbox = Sandbox(limits: limits, harness: harness, bubblewrap: bubblewrap)
        if probe { try sandbox.probe() }
        return sandbox
    }

    /// Throws unless a run here passes a test that holds and fails one that does not; once one
    /// has, the sandbox is proven and it is not run again.
    func probe() throws {
        if Sandbox.proven.contains(bubblewrap) { return }
        let run = try launch(code: "def one():\n    return 1\n", as: .tests(["tests": ["assert one() == 1", "assert one() == 2"]]))
        let results = run.verdict?["results"]?.arrayValue ?? []
        guard run.limit == nil, results.count == 2, results[0].isNull, results[1].stringValue != nil else {
            let why = run.limit ?? (results.isEmpty ? run.noVerdict : results.compactMap(\.stringValue).first ?? "a test that fails passed")
            throw SandboxUnavailable("needs sandbox: bubblewrap cannot make a sandbox here (\(why)); code is never run without one")
        }
        Sandbox.proven.insert(bubblewrap)
    }

    /// The bubblewraps a probe has proven in this process: the machine does not change under it.
    private static let proven = ProvenBubblewraps()

    /// Runs `code`, then each test against it: a test is Python source (an assert, or a block of
    /// them); with `entryPoint`, a test that defines HumanEval's `check` is called as
    /// `check(entryPoint)`.
    public func test(code: String, tests: [String], entryPoint: String? = nil) throws -> Verdict {
        let run = try launch(code: code, as: .tests(["tests": .array(tests.map { .string($0) }), "entry_point": JSONValue(entryPoint)]))
        if run.verdict == nil && run.limit == nil { try probe() }
        guard run.limit == nil, let results = run.verdict?["results"]?.arrayValue, results.count == tests.count else {
            let why = run.limit ?? run.noVerdict
            return Verdict(failures: Array(repeating: why, count: tests.count), limit: why, output: run.printed, seconds: run.seconds)
        }
        let failures = results.map { $0.stringValue.map { $0.hasPrefix("wall-clock limit") ? $0 + run.crowded : $0 } }
        return Verdict(failures: failures, limit: nil, output: run.printed, seconds: run.seconds)
    }

    /// How a program ran: what it printed on its standard output (as the harness read it, at most
    /// 64 KiB), and why it did not finish cleanly, if it did not.
    public struct ProgramOutcome: Sendable, Equatable {
        public var printed: String
        /// Nil when the program exited with status 0; else the limit, signal, status or exception.
        public var failure: String?
    }

    /// Runs `program` as a script, under the same limits as code under test, without the harness:
    /// its answer is what it prints, so the host reads its standard output through a pipe (the
    /// first 64 KiB), and bubblewrap's own init, not the program, is PID 1, so that whatever the
    /// program leaves behind ends with it.
    public func run(program: String) throws -> ProgramOutcome {
        var run = try launch(code: program, as: .program)
        if run.printed.hasPrefix(Sandbox.programStarted) {
            run.printed.removeFirst(Sandbox.programStarted.count)
        } else if run.limit == nil, run.exit.status != 0 {
            // The program never started: bubblewrap could not make its sandbox, or Python failed.
            try probe()
        }
        if let limit = run.limit {
            return ProgramOutcome(printed: "", failure: limit + (limit.hasPrefix("wall-clock") ? run.crowded : ""))
        }
        let stdout = run.stdout ?? ""
        if run.exit.status != 0 {
            var why = run.exit.signal.map { "the program was " + describe(signal: $0) } ?? "the program exited with status \(run.exit.status)"
            // The exception's own last line says more than an exit status.
            if run.exit.status == 1, let last = run.printed.split(separator: "\n").last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                why = String(last.prefix(200))
            }
            return ProgramOutcome(printed: stdout, failure: why)
        }
        if run.stdoutCut {
            return ProgramOutcome(printed: stdout, failure: "printed more than 64 KiB: its last line is lost")
        }
        return ProgramOutcome(printed: stdout, failure: nil)
    }

    /// program.py's first line on standard error, from inside the sandbox: it was made.
    static let programStarted = "loco-sandbox: made\n"

    /// How a limit or a signal ended a program, as the harness says it for code under test.
    private func describe(signal number: Int32) -> String {
        switch number {
        case SIGXCPU: "killed at the CPU time limit (\(limits.cpuSeconds) s of CPU)"
        case SIGXFSZ: "killed at the file size limit (\(Sandbox.bytes(limits.fileBytes)))"
        case SIGKILL: "killed (SIGKILL)"
        default: "killed by " + (Sandbox.signalNames[number] ?? "signal \(number)")
        }
    }

    private static let signalNames: [Int32: String] = [
        SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT",
        SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGUSR1: "SIGUSR1", SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE",
        SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGSYS: "SIGSYS",
    ]

    /// What a sandboxed run runs.
    private enum Mode {
        /// The harness, with this job (plus the nonce, the budget and the limits) on its standard
        /// input: it runs the tests against solution.py and writes a verdict.
        case tests(JSONObject)
        /// solution.py itself, as a program whose standard output the host reads.
        case program
    }

    /// One sandboxed run with `code` as solution.py.
    private func launch(code: String, as mode: Mode) throws -> Launch {
        let job: JSONObject?
        if case .tests(let asked) = mode { job = asked } else { job = nil }
        let fm = FileManager.default
        let host = fm.temporaryDirectory.appendingPathComponent("loco-sandbox-\(UUID().uuidString)")
        let box = host.appendingPathComponent("box")
        try fm.createDirectory(at: box, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: host) }
        for file in job == nil ? ["program.py"] : ["harness.py", "child.py", "wire.py"] {
            try fm.copyItem(at: harness.appendingPathComponent(file), to: box.appendingPathComponent(file))
        }
        try Data(code.utf8).write(to: box.appendingPathComponent("solution.py"))
        for path in [host.path, box.path] { chmod(path, 0o755) }
        for file in (try? fm.contentsOfDirectory(atPath: box.path)) ?? [] { chmod(box.path + "/" + file, 0o644) }

        // The harness's job (tests and nonce) goes in on standard input from a file outside the
        // sandbox, and its verdict comes back in a file only it writes; a program has neither.
        let nonce = UUID().uuidString
        let jobURL = host.appendingPathComponent("job.json"), outURL = host.appendingPathComponent("stdout")
        if let job {
            var full: JSONObject = [
                "nonce": .string(nonce),
                "budget": JSONValue(max(0.5, limits.wallSeconds - 1)),
                "limits": ["wall": .string("\(Sandbox.seconds(limits.wallSeconds))"), "cpu": .string("\(limits.cpuSeconds) s of CPU"),
                           "file": .string(Sandbox.bytes(limits.fileBytes)), "disk": .string(Sandbox.bytes(limits.diskBytes)),
                           "memory": .string(Sandbox.bytes(limits.memoryBytes)), "processes": JSONValue(limits.processes)],
            ]
            for (key, value) in job { full[key] = value }
            try Data(JSONWriter.serialize(.object(full))).write(to: jobURL)
            try Data().write(to: outURL)
        }

        let process = Process()
        let command = commandLine(box: box.path, program: job == nil)
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = ["PATH": "/usr/bin:/bin"]
        var programOutput: OutputCollector?
        if job == nil {
            process.standardInput = FileHandle.nullDevice
            let pipe = Pipe()
            process.standardOutput = pipe
            programOutput = OutputCollector(pipe.fileHandleForReading, keeping: Sandbox.programOutputLimit + 1)
        } else {
            process.standardInput = try FileHandle(forReadingFrom: jobURL)
            process.standardOutput = try FileHandle(forWritingTo: outURL)
        }
        // The code's output comes through a pipe, kept up to 64 KiB: however much it prints,
        // nothing is written to the host's disk and no limit is hit.
        let errors = Pipe()
        process.standardError = errors
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        let start = Date()
        try process.run()
        let output = OutputCollector(errors.fileHandleForReading, keeping: 64 << 10)
        var peak = 0
        // The harness keeps to its own budget and says so; a program has only this clock.
        let wall = job == nil
            ? (limits.wallSeconds, "wall-clock limit: the program ran out of time (\(Sandbox.seconds(limits.wallSeconds)))")
            : (limits.wallSeconds + 2, "wall-clock limit: still running after \(Sandbox.seconds(limits.wallSeconds))")
        let limit = watch(process, exited: exited, until: start.addingTimeInterval(wall.0), wallClock: wall.1, peakProcesses: &peak)
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        let printed = output.text(waitingAtMost: 2)
        let stdout = programOutput?.text(waitingAtMost: 2)
        let stdoutCut = (stdout?.utf8.count ?? 0) > Sandbox.programOutputLimit
        var verdict: JSONObject?
        if job != nil {
            let marker = "LOCO-RESULT \(nonce) "
            let line = Sandbox.read(outURL, upTo: 1 << 20).split(separator: "\n").first { $0.hasPrefix(marker) }
            if let line, case .object(let object)? = try? JSONParser.parse(String(line.dropFirst(marker.count))) { verdict = object }
        }
        let lastWords = printed.split(separator: "\n").last.map { String($0.prefix(200)) } ?? ""
        let noVerdict = "the harness gave no verdict (\(process.terminationReason == .uncaughtSignal ? "signal" : "status") \(process.terminationStatus)\(printed.isEmpty ? "" : ": " + lastWords))"
        // A run that spent its time forking says so: the wall clock stopped it at the process limit.
        let crowded = peak >= limits.processes ? "; it was holding its \(limits.processes) processes, the limit" : ""
        // bwrap exits with 128 + the signal that ended the program it ran.
        let status = process.terminationStatus
        let exit = (status: status, signal: process.terminationReason == .exit && status > 128 && status < 128 + 65 ? status - 128 : nil)
        return Launch(verdict: verdict, limit: limit, printed: printed, seconds: seconds, crowded: crowded, noVerdict: noVerdict,
                      stdout: stdout.map { String(decoding: Array($0.utf8.prefix(Sandbox.programOutputLimit)), as: UTF8.self) },
                      stdoutCut: stdoutCut, exit: exit)
    }

    /// What a program may print that its answer is read from.
    static let programOutputLimit = 64 << 10

    private struct Launch {
        var verdict: JSONObject?
        var limit: String?
        var printed: String
        var seconds: Double
        /// What a wall-clock failure adds when the run was holding all the processes it may.
        var crowded: String
        /// Why there is no verdict, when there is none.
        var noVerdict: String
        /// A program's own run: what it printed (at most 64 KiB), whether it printed more, and how
        /// bwrap exited (with the signal that ended the program, if one did).
        var stdout: String?
        var stdoutCut: Bool
        var exit: (status: Int32, signal: Int32?)
    }

    /// Holds the run to its wall clock and its memory total; returns the limit it was stopped at.
    private func watch(_ process: Process, exited: DispatchSemaphore, until deadline: Date, wallClock: String, peakProcesses peak: inout Int) -> String? {
        var tree = ProcessTree(root: process.processIdentifier)
        while process.isRunning {
            // Outside the sandbox: bwrap; inside, every process of the run.
            peak = max(peak, tree.members.count - 1)
            var limit: String?
            if Date() >= deadline {
                limit = wallClock
            } else {
                tree.refresh()
                if tree.privateBytes > limits.memoryBytes {
                    limit = "memory limit: the run's processes held more than \(Sandbox.bytes(limits.memoryBytes)) together"
                }
            }
            if let limit {
                tree.refresh()
                tree.killAll()
                return limit
            }
            // Woken as the run ends, not at the next look: most runs last a few tens of milliseconds.
            if exited.wait(timeout: .now() + .milliseconds(20)) == .success { break }
        }
        return nil
    }

    /// bwrap's command line; root first becomes the real `nobody`, so both run the same sandbox.
    func commandLine(box: String, program: Bool = false) -> [String] {
        var command: [String] = []
        if geteuid() == 0, let setpriv = Sandbox.which("setpriv") {
            command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
        }
        command += [bubblewrap,
                    "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                    "--disable-userns", "--uid", "65534", "--gid", "65534", "--hostname", "sandbox",
                    "--cap-drop", "ALL", "--die-with-parent", "--new-session"]
        // The harness is PID 1, so that nothing in the sandbox can signal it; a program is not, since
        // PID 1 ignores the signals it has no handler for, the CPU limit's among them.
        if !program { command.append("--as-pid-1") }
        command += ["--ro-bind", "/usr", "/usr"]
        for top in ["bin", "lib", "lib64", "lib32", "sbin"] {
            let path = "/" + top
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                command += ["--symlink", target, path]
            } else if FileManager.default.fileExists(atPath: path) {
                command += ["--ro-bind", path, path]
            }
        }
        command += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
                    "--proc", "/proc", "--dev", "/dev",
                    "--size", String(limits.diskBytes), "--perms", "1777", "--tmpfs", "/tmp",
                    "--ro-bind", box, "/sandbox", "--chdir", "/tmp",
                    "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp", "--setenv", "LANG", "C.UTF-8",
                    "--", "/usr/bin/prlimit",
                    "--cpu=\(limits.cpuSeconds):\(limits.cpuSeconds + 1)", "--as=\(limits.memoryBytes)", "--nproc=\(limits.processes)",
                    "--fsize=\(limits.fileBytes)", "--nofile=\(limits.openFiles)", "--core=0",
                    "--", Sandbox.python, "-I", "-S", program ? "/sandbox/program.py" : "/sandbox/harness.py"]
        return command
    }

    static let python = "/usr/bin/python3"

    public static func which(_ tool: String) -> String? {
        for directory in ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"] {
            let path = directory + "/" + tool
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func read(_ url: URL, upTo count: Int) -> String {
        let data = (try? FileHandle(forReadingFrom: url).readData(ofLength: count)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func bytes(_ count: Int) -> String {
        count >= 1 << 30 && count % (1 << 30) == 0 ? "\(count >> 30) GiB" : "\(count >> 20) MiB"
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}

public struct SandboxUnavailable: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The bubblewrap paths that have made a working sandbox in this process.
final class ProvenBubblewraps: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: Set<String> = []
    func contains(_ path: String) -> Bool { lock.withLock { paths.contains(path) } }
    func insert(_ path: String) { lock.withLock { _ = paths.insert(path) } }
}
