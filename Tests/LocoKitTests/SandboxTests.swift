import Foundation
import Testing
@testable import LocoKit
@testable import LocoScore

/// Hostile programs, each of which must be contained and reported as a failure, with the
/// machine unharmed. One at a time: several of them use up the sandbox user's process limit.
@Suite(.serialized) struct SandboxTests {
    static let sandbox = Result { try Sandbox.make() }

    func run(_ source: String) throws -> Sandbox.Outcome {
        try Self.sandbox.get().runPython(source)
    }

    @Test func aCorrectProgramPassesAndAFailingAssertFails() throws {
        let ok = try run("def add(a, b):\n    return a + b\n\nassert add(2, 3) == 5\nprint('fine')\n")
        #expect(ok.passed && ok.stdout == "fine\n", "\(ok.stderr)")
        let bad = try run("def add(a, b):\n    return a - b\n\nassert add(2, 3) == 5\n")
        #expect(!bad.passed)
        #expect(bad.summary.hasPrefix("exit status 1: AssertionError"))
    }

    @Test func aForkBombIsContainedAndLeavesNothingBehind() throws {
        let outcome = try run("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n")
        #expect(!outcome.passed)
        #expect(outcome.seconds < 15)
        usleep(300_000)
        let left = try String(contentsOfFile: "/proc/loadavg", encoding: .utf8)
        #expect(!left.isEmpty)
        // No process of the sandbox survives it.
        let survivors = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { Int($0) != nil }.filter { pid in
            (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.contains("main.py") == true
        }
        #expect(survivors.isEmpty, "\(survivors)")
    }

    @Test func removingTheHomeDirectoryRemovesNothing() throws {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
        let canary = home + "/.loco-sandbox-canary-\(UUID().uuidString)"
        try "still here".write(toFile: canary, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: canary) }
        let outcome = try run("""
            import os, shutil, glob
            for path in [os.path.expanduser('~'), '\(home)', '/root', '/home'] + glob.glob('\(home)/.loco-sandbox-canary-*'):
                shutil.rmtree(path, ignore_errors=True)
                try: os.remove(path)
                except OSError: pass
            raise SystemExit(1)
            """)
        #expect(!outcome.passed)
        #expect(try String(contentsOfFile: canary, encoding: .utf8) == "still here")
    }

    @Test func readingSecretsFromTheHomeDirectoryFindsNothing() throws {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
        let ssh = home + "/.ssh"
        let createdSSH = !FileManager.default.fileExists(atPath: ssh)
        try FileManager.default.createDirectory(atPath: ssh, withIntermediateDirectories: true)
        let secret = ssh + "/loco-canary-\(UUID().uuidString)"
        try "SECRET-KEY-MATERIAL".write(toFile: secret, atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(atPath: secret)
            if createdSSH { try? FileManager.default.removeItem(atPath: ssh) }
        }
        let outcome = try run("print(open('\(secret)').read())\n")
        #expect(!outcome.passed)
        #expect(!outcome.stdout.contains("SECRET") && !outcome.stderr.contains("SECRET-KEY"))
    }

    @Test func openingASocketFails() throws {
        // A listener on the host's loopback: the sandbox has its own network, with nothing in it.
        let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(server) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(server, $0, length) } }
        listen(server, 1)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(server, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let outcome = try run("import socket\nsocket.create_connection(('127.0.0.1', \(port)), timeout=3)\nprint('connected')\n")
        #expect(!outcome.passed)
        #expect(!outcome.stdout.contains("connected"))
        let outside = try run("import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3)\nprint('connected')\n")
        #expect(!outside.passed && !outside.stdout.contains("connected"))
    }

    @Test func anInfiniteLoopIsStopped() throws {
        let outcome = try run("while True:\n    pass\n")
        #expect(!outcome.passed)
        #expect(outcome.seconds < 12)
    }

    @Test func aMemoryBombFails() throws {
        let outcome = try run("x = bytearray(4 * 1024 ** 3)\nprint(len(x))\n")
        #expect(!outcome.passed)
        #expect(outcome.stderr.contains("MemoryError"), "\(outcome.summary)")
    }

    @Test func aHugeFileIsCutAtTheLimit() throws {
        let outcome = try run("""
            import os
            with open('big', 'wb') as f:
                for _ in range(200):
                    f.write(b'x' * (1 << 20))
            print(os.path.getsize('big'))
            """)
        #expect(!outcome.passed)
        #expect(outcome.summary.contains("SIGXFSZ") || outcome.stderr.contains("File too large"), "\(outcome.summary)")
    }

    @Test func aSleepingProgramIsKilledAtTheWallClockLimit() throws {
        var sandbox = try Self.sandbox.get()
        sandbox.limits.wallSeconds = 2
        let outcome = try sandbox.runPython("import time\ntime.sleep(60)\n")
        #expect(outcome.timedOut && !outcome.passed)
        #expect(outcome.seconds < 4)
        #expect(outcome.summary == "killed after the wall-clock limit")
    }
}

@Suite struct PassAtKTests {
    @Test(arguments: [
        (10, 0, 1, 0.0), (10, 10, 1, 1.0), (10, 3, 1, 0.3), (5, 1, 2, 0.4), (3, 1, 2, 2.0 / 3.0), (4, 2, 3, 1.0),
    ])
    func unbiasedEstimatorMatchesHandChecked(n: Int, c: Int, k: Int, expected: Double) {
        // 1 - C(n-c, k) / C(n, k): e.g. n=5, c=1, k=2 -> 1 - C(4,2)/C(5,2) = 1 - 6/10 = 0.4.
        #expect(abs(CodeExecution.passAtK(n: n, c: c, k: k) - expected) < 1e-12)
    }

    @Test func theProgramIsCodeThenTestsThenCheck() throws {
        let mbpp: JSONObject = ["tests": ["assert f() == 1", "assert f() != 2"]]
        #expect(try CodeExecution.program(code: "def f(): return 1", record: mbpp) == "def f(): return 1\n\nassert f() == 1\nassert f() != 2\n")
        let humanEval: JSONObject = ["tests": "def check(candidate):\n    assert candidate() == 1", "entry_point": "f"]
        #expect(try CodeExecution.program(code: "def f(): return 1", record: humanEval).hasSuffix("\ncheck(f)\n"))
        #expect(throws: RecordError.self) { try CodeExecution.program(code: "x", record: [:]) }
    }

    @Test func withoutASandboxTheRecordIsAnErrorAndNothingRuns() throws {
        let execution = CodeExecution(sandbox: .failure(SandboxUnavailable("needs sandbox: test")))
        #expect(throws: RecordError("needs sandbox: test")) {
            try execution.run(code: "open('/tmp/loco-should-not-exist', 'w')", record: ["tests": "pass"])
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/loco-should-not-exist"))
    }
}
