import Foundation

/// Runs model-written code where it cannot hurt the machine: each run in new network, PID and
/// mount namespaces (`unshare`), with no network at all (only a loopback that is down), a fresh
/// directory, tmpfs over the home directories, /tmp and /dev/shm, as the `nobody` user when run as
/// root, with limits on CPU time, address space, processes, file size and open files (`prlimit`),
/// and a wall-clock limit that kills the whole namespace.
///
/// As an ordinary user the same runs inside a user namespace (`unshare --user --map-root-user`),
/// without the switch to `nobody`. Where neither works, `Sandbox.make()` says why and nothing runs:
/// model-written code is never executed unsandboxed.
public struct Sandbox: Sendable {
    public struct Limits: Sendable, Equatable {
        public var wallSeconds: Double = 10
        public var cpuSeconds = 5
        public var memoryBytes = 1 << 30
        public var processes = 64
        public var fileBytes = 10 << 20
        public var openFiles = 64
        public init() {}
    }

    public enum Mode: String, Sendable { case root, userNamespace = "user-namespace" }

    public struct Outcome: Sendable, Equatable {
        public var exitStatus: Int32?
        public var signal: Int32?
        public var timedOut: Bool
        public var stdout: String
        public var stderr: String
        public var seconds: Double
        public var passed: Bool { !timedOut && exitStatus == 0 }
        /// One line for a record: why it failed, or "passed".
        public var summary: String {
            if passed { return "passed" }
            if timedOut { return "killed after the wall-clock limit" }
            if let signal { return "killed by signal \(signal)\(Sandbox.signalName(signal).map { " (\($0))" } ?? "")" }
            let last = stderr.split(separator: "\n").last.map(String.init) ?? ""
            return "exit status \(exitStatus ?? -1)" + (last.isEmpty ? "" : ": \(last.prefix(200))")
        }
    }

    public let mode: Mode
    public var limits = Limits()

    /// A sandbox, or the reason none can be had here (no `unshare`, user namespaces disabled).
    public static func make(limits: Limits = Limits()) throws -> Sandbox {
        for tool in ["unshare", "prlimit", "setpriv"] where which(tool) == nil {
            throw SandboxUnavailable("needs sandbox: '\(tool)' (util-linux) is not installed, and model-written code is never run without one")
        }
        let mode: Mode = geteuid() == 0 ? .root : .userNamespace
        var sandbox = Sandbox(mode: mode)
        sandbox.limits = limits
        let probe = try sandbox.run(program: "print('ok')", interpreter: ["/bin/sh", "-c", "echo ok"])
        guard probe.passed, probe.stdout == "ok\n" else {
            throw SandboxUnavailable("needs sandbox: \(mode == .root ? "unshare" : "unprivileged user namespaces") failed here (\(probe.stderr.split(separator: "\n").last ?? "no output")); model-written code is never run without one")
        }
        return sandbox
    }

    /// Runs a Python program (python3 -I) in the sandbox.
    public func runPython(_ source: String) throws -> Outcome {
        try run(program: source, interpreter: ["python3", "-I", "main.py"])
    }

    func run(program: String, interpreter: [String]) throws -> Outcome {
        let fm = FileManager.default
        let host = fm.temporaryDirectory.appendingPathComponent("loco-sandbox-\(UUID().uuidString)")
        let work = host.appendingPathComponent("work")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: host) }
        try Data(program.utf8).write(to: work.appendingPathComponent("main.py"))
        chmod(host.path, 0o755)
        chmod(work.path, 0o777)
        let outURL = host.appendingPathComponent("stdout"), errURL = host.appendingPathComponent("stderr")
        fm.createFile(atPath: outURL.path, contents: nil)
        fm.createFile(atPath: errURL.path, contents: nil)

        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
        // Inside the new namespaces, as (namespace) root: hide what is private, then drop to
        // nobody (as real root) and apply the limits. $1 the work folder, $2 the user's home.
        let dropUser = mode == .root ? "setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs --inh-caps=-all" : "setpriv --no-new-privs"
        let l = limits
        let script = """
            set -e
            mount --bind "$1" /mnt
            for d in /tmp /var/tmp /dev/shm /root /home "$2"; do
              [ -d "$d" ] && mount -t tmpfs -o size=16m,mode=1777,nosuid,nodev tmpfs "$d"
            done
            mount -t proc proc /proc
            cd /mnt
            exec \(dropUser) env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 \
              prlimit --cpu=\(l.cpuSeconds) --as=\(l.memoryBytes) --nproc=\(l.processes) --fsize=\(l.fileBytes) \
                      --nofile=\(l.openFiles) --core=0 -- \(interpreter.map(Sandbox.shellQuoted).joined(separator: " "))
            """
        var arguments = ["--net", "--pid", "--fork", "--kill-child", "--mount", "--propagation", "private"]
        if mode == .userNamespace { arguments = ["--user", "--map-root-user"] + arguments }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Sandbox.which("unshare") ?? "/usr/bin/unshare")
        process.arguments = arguments + ["--", "/bin/sh", "-c", script, "sandbox", work.path, home]
        process.environment = ["PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let start = Date()
        try process.run()
        let deadline = start.addingTimeInterval(limits.wallSeconds)
        var timedOut = false
        while process.isRunning {
            if Date() >= deadline {
                timedOut = true
                // unshare is the group leader; killing it kills the namespace's init (--kill-child),
                // and with it every process inside.
                kill(-process.processIdentifier, SIGKILL)
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        func read(_ url: URL) -> String {
            let data = (try? FileHandle(forReadingFrom: url).readData(ofLength: 64 << 10)) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        let signalled = process.terminationReason == .uncaughtSignal
        var status: Int32? = signalled ? nil : process.terminationStatus
        var signal: Int32? = signalled ? process.terminationStatus : nil
        // The shell reports a child killed by signal N as status 128 + N.
        if let s = status, s > 128, s < 160 { signal = s - 128; status = nil }
        return Outcome(exitStatus: status, signal: signal, timedOut: timedOut, stdout: read(outURL), stderr: read(errURL), seconds: seconds)
    }

    static func which(_ tool: String) -> String? {
        for directory in ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"] {
            let path = directory + "/" + tool
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func shellQuoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    static func signalName(_ signal: Int32) -> String? {
        switch signal {
        case SIGKILL: "SIGKILL: a limit was hit"
        case SIGXCPU: "SIGXCPU: CPU time limit"
        case SIGXFSZ: "SIGXFSZ: file size limit"
        case SIGSEGV: "SIGSEGV"
        default: nil
        }
    }
}

public struct SandboxUnavailable: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
