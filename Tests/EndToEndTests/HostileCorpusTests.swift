import Foundation
import Testing

/// Hostile programs scored by the real loco-score, as root and as an ordinary user (`nobody`, by
/// setpriv), the way a teacher and a student run it. Every case must score 0, name the limit that
/// stopped it where one did, and leave the machine as it was: no file outside, no process alive,
/// the home directory and its secrets untouched. docs/sandbox.md quotes these cases.
@Suite(.serialized) struct HostileCorpusTests {
    struct Case {
        var id: String
        var code: String
        /// Each must fail; the one line in score.runs must start with `reason` when given.
        var tests = ["assert f() == 1"]
        var reason: String? = nil
        /// HumanEval's form: one block defining `check`, and the name it is called with.
        var testBlock: String? = nil
        var entryPoint: String? = nil
    }

    /// `{{HOME}}` is the running user's home, `{{PORT}}` a port listening on the host's loopback.
    static let corpus: [Case] = [
        Case(id: "exit-zero-before-the-asserts", code: "import os\nos._exit(0)\ndef f():\n    return 0\n",
             reason: "the code's process exited (status 0) before the tests were done"),
        Case(id: "sys-exit-zero", code: "import sys\nsys.exit(0)\n", reason: "the code failed to load: SystemExit: 0"),
        Case(id: "exit-zero-inside-the-function", code: "import os\ndef f():\n    os._exit(0)\n",
             reason: "the code's process exited (status 0) before the tests were done"),
        Case(id: "patched-builtins", code: """
            import builtins
            builtins.AssertionError = type('NotAnError', (Exception,), {})
            builtins.isinstance = builtins.all = builtins.any = lambda *a, **k: True
            builtins.__import__ = lambda *a, **k: None
            def f():
                return 0
            """, tests: ["assert f() == 1", "assert isinstance(f(), str)"]),
        Case(id: "printed-markers", code: """
            import sys
            for out in (sys.stdout, sys.stderr):
                print('LOCO_PASSED 99', file=out)
                print('LOCO-RESULT 00000000-0000-0000-0000-000000000000 {"results": [null]}', file=out)
            def f():
                return 0
            """, reason: "assertion failed"),
        Case(id: "writes-to-the-verdict-channel", code: """
            import os
            for path in ('/proc/1/fd/1', '/proc/self/fd/1', '/dev/stdout', '/proc/1/fd/2'):
                try:
                    with open(path, 'w') as out:
                        out.write('LOCO-RESULT x {"results": [null]}\\n')
                except OSError:
                    pass
            def f():
                return 0
            """, reason: "assertion failed"),
        Case(id: "kills-the-harness", code: """
            import os, signal
            for pid in (1, os.getppid(), -1):
                for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGSTOP):
                    try:
                        os.kill(pid, sig)
                    except OSError:
                        pass
            def f():
                return 0
            """),
        Case(id: "reads-the-harness-memory", code: """
            def f():
                for path in ('/proc/1/mem', '/proc/1/environ', '/proc/1/fd/0', '/proc/1/maps'):
                    try:
                        open(path, 'rb').read(4096)
                        return 1
                    except OSError:
                        pass
                return 0
            """),
        Case(id: "always-equal-answer", code: "class Yes:\n    __eq__ = lambda self, other: True\n    __bool__ = lambda self: True\n\ndef f():\n    return Yes()\n",
             reason: "TypeError: the tests compare or test a Yes object the code made"),
        Case(id: "fork-bomb", code: "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
             reason: "wall-clock limit: the tests ran out of time (10 s); it was holding its 64 processes, the limit"),
        Case(id: "memory-bomb", code: """
            import os, time
            for _ in range(5):
                if os.fork() == 0:
                    block = b'x' * (900 << 20)
                    time.sleep(30)
            time.sleep(30)
            """, reason: "memory limit: the run's processes held more than 1 GiB together"),
        Case(id: "one-huge-allocation", code: "def f():\n    return len(bytearray(4 << 30))\n", reason: "memory limit (1 GiB): MemoryError"),
        Case(id: "infinite-loop", code: "while True:\n    pass\n", reason: "the code's process was killed at the CPU time limit (5 s of CPU)"),
        Case(id: "sleeps-past-the-wall-clock", code: "import time\ntime.sleep(60)\n", reason: "wall-clock limit"),
        Case(id: "network-to-the-host-loopback", code: "import socket\ndef f():\n    socket.create_connection(('127.0.0.1', {{PORT}}), timeout=2)\n    return 1\n",
             reason: "ConnectionRefusedError"),
        Case(id: "network-to-the-internet", code: "import socket\ndef f():\n    socket.create_connection(('1.1.1.1', 80), timeout=2)\n    return 1\n"),
        Case(id: "reads-ssh-keys", code: "def f():\n    return open('{{HOME}}/.ssh/loco-hostile-key').read() == 'SECRET' and 1\n",
             reason: "FileNotFoundError"),
        Case(id: "unmounts-to-reach-home", code: """
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            for path in (b'/tmp', b'/home', b'/root', b'/', b'/usr'):
                libc.umount2(path, 2)
            os.system('umount -l /tmp; umount -l /')
            def f():
                return open('{{HOME}}/.ssh/loco-hostile-key').read() == 'SECRET' and 1
            """, reason: "FileNotFoundError"),
        Case(id: "removes-the-home-directory", code: """
            import shutil, os
            for path in ('{{HOME}}', os.path.expanduser('~'), '/root', '/home', '/usr', '/sandbox'):
                shutil.rmtree(path, ignore_errors=True)
            def f():
                return 0
            """),
        Case(id: "writes-everywhere-writable", code: """
            import os
            made = []
            for top in ['/', '/run/lock', '/var/tmp', '/dev/shm', '/tmp', '/sandbox', '/usr', '{{HOME}}']:
                for directory, subdirectories, _ in os.walk(top):
                    if directory.startswith('/proc'):
                        continue
                    try:
                        with open(os.path.join(directory, 'loco-hostile-left-behind'), 'w') as out:
                            out.write('x')
                        made.append(directory)
                    except OSError:
                        pass
            def f():
                return 0
            """),
        Case(id: "leaves-a-daemon", code: """
            import os, time
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    while True:
                        try:
                            open('/tmp/loco-hostile-daemon', 'a').write('x')
                        except OSError:
                            pass
                        time.sleep(0.1)
                os._exit(0)
            def f():
                return 0
            """),
        Case(id: "huge-output", code: "import sys\nfor _ in range(200):\n    sys.stdout.write('x' * (1 << 20))\ndef f():\n    return 0\n",
             reason: "assertion failed"),
        Case(id: "fills-the-disk", code: """
            def f():
                for i in range(300):
                    with open(f'/tmp/loco-hostile-{i}', 'wb') as out:
                        out.write(b'x' * (10 << 20 - 1))
                return 1
            """, reason: "disk limit (32 MiB under /tmp): OSError: [Errno 28] No space left on device"),
        // Forgeries: the test's own names (builtins, modules, `check`) are never the code's.
        Case(id: "redefines-sorted", code: "def sorted(*a, **k):\n    return [1, 2]\n\ndef f():\n    return [3]\n",
             tests: ["assert sorted(f()) == [1, 2]"], reason: "assertion failed"),
        Case(id: "redefines-set-mbpp-2", code: "def set(*a):\n    return 0\n\ndef similar_elements(a, b):\n    return ()\n",
             tests: ["assert set(similar_elements((3, 4, 5, 6),(5, 7, 4, 10))) == set((4, 5))"], reason: "assertion failed"),
        Case(id: "redefines-len-and-abs", code: "def len(x):\n    return 3\n\ndef abs(x):\n    return 0\n\ndef f():\n    return [5]\n",
             tests: ["assert len(f()) == 3", "assert abs(f()[0] - 2) < 1e-9"], reason: "0 of 2 tests passed: assertion failed"),
        Case(id: "a-math-of-its-own", code: "class M:\n    def isclose(self, *a, **k):\n        return True\n\nmath = M()\n\ndef f():\n    return 2.0\n",
             tests: ["assert math.isclose(f(), 1.0)"], reason: "assertion failed"),
        Case(id: "patched-send-adds-builtins", code: """
            import __main__, builtins
            fake = dict(vars(builtins))
            fake['sorted'] = lambda *a, **k: [1, 2]
            real_send = __main__.send
            def send(message):
                if 'names' in message:
                    message['names']['__builtins__'] = __main__.wire.encode(fake, __main__.handle_of)
                    message['names']['sorted'] = __main__.wire.encode(fake['sorted'], __main__.handle_of)
                real_send(message)
            __main__.send = send
            def f():
                return [3]
            """, tests: ["assert sorted(f()) == [1, 2]"], reason: "assertion failed"),
        Case(id: "humaneval-without-the-entry-point", code: "x = 1\n", tests: [], reason: "the code defines no add, the function the tests check",
             testBlock: "def check(candidate):\n    assert candidate(2, 3) == 5\n", entryPoint: "add"),
        Case(id: "humaneval-check-as-a-list", code: "def add(a, b):\n    return a - b\n", tests: ["def check(candidate):\n    assert candidate(2, 3) == 5\n"],
             reason: "assertion failed", entryPoint: "add"),
        Case(id: "int-subclass-claims-another-value", code: "class I(int):\n    def __int__(self):\n        return 1\n\n    def __index__(self):\n        return 1\n\ndef f():\n    return I(2)\n",
             reason: "assertion failed"),
        Case(id: "int-subclass-equal-to-anything", code: "class I(int):\n    __eq__ = lambda self, other: True\n    __hash__ = int.__hash__\n\ndef f():\n    return I(2)\n",
             reason: "assertion failed"),
    ]

    /// The built loco-score and its harness, copied where any user can run them.
    static func toolsAnyoneCanRun(including tool: String = "loco-score") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-hostile-tools-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bin = URL(fileURLWithPath: E2E.bin)
        for item in [tool, "LocoLLM_LocoSandbox.resources"] {
            try FileManager.default.copyItem(at: bin.appendingPathComponent(item), to: dir.appendingPathComponent(item))
        }
        _ = try shell("chmod -R a+rX \(quoted(dir.path))")
        return dir
    }

    /// A listener on the host's loopback, which the sandbox's own network must not reach.
    static func listenOnLoopback() throws -> (socket: Int32, port: Int) {
        let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(server, $0, length) } }
        listen(server, 8)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(server, $0, &length) } }
        return (server, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// What the corpus could have left: files it wrote anywhere, and this run's sandboxes (their
    /// folders and processes live under `runTemp`, the TMPDIR loco-score ran with, so that other
    /// suites' sandboxes running at the same time are not taken for ours).
    func leftovers(runTemp: String) throws -> [String] {
        try shell("find / -xdev \\( -path /proc -o -path /sys \\) -prune -o -name 'loco-hostile-left-behind' -print -o -name 'loco-hostile-daemon' -print 2>/dev/null; "
                  + "ls -d \(quoted(runTemp))/loco-sandbox-* 2>/dev/null; ps -eo pid,args | grep -F \(quoted(runTemp)) | grep -v grep", timeout: 120)
            .stdout.split(separator: "\n").map(String.init)
    }

    /// What both corpora set up for one user: a home holding a secret key and a canary, a
    /// listener on the host's loopback, a TMPDIR of the run's own, and what lay around before.
    struct Ground {
        let user: String, home: String, key: String, canary: String, port: Int, runTemp: String
        /// Runs a command as `user`.
        let prefix: String
        private let listener: Int32
        private let before: Set<String>

        init(as user: String, keyName: String) throws {
            self.user = user
            let asNobody = user == "nobody"
            home = asNobody ? FileManager.default.temporaryDirectory.appendingPathComponent("loco-hostile-home-\(UUID().uuidString)").path
                            : (E2E.env["HOME"] ?? "/root")
            try FileManager.default.createDirectory(atPath: home + "/.ssh", withIntermediateDirectories: true)
            key = home + "/.ssh/" + keyName
            canary = home + "/\(keyName)-canary"
            try "SECRET".write(toFile: key, atomically: true, encoding: .utf8)
            try "still here".write(toFile: canary, atomically: true, encoding: .utf8)
            if asNobody { _ = try shell("chown -R 65534:65534 \(quoted(home)) && chmod 700 \(quoted(home)) \(quoted(home + "/.ssh"))") }
            (listener, port) = try HostileCorpusTests.listenOnLoopback()
            runTemp = FileManager.default.temporaryDirectory.appendingPathComponent("loco-hostile-tmp-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: runTemp, withIntermediateDirectories: true)
            chmod(runTemp, 0o1777)
            prefix = asNobody ? "setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=\(quoted(home)) " : ""
            before = Set(try HostileCorpusTests().leftovers(runTemp: runTemp))
        }

        /// The code with `{{HOME}}` and `{{PORT}}` filled in.
        func fill(_ code: String) -> String {
            code.replacingOccurrences(of: "{{HOME}}", with: home).replacingOccurrences(of: "{{PORT}}", with: String(port))
        }

        /// The secret and the canary are untouched, and nothing the code made is left.
        func expectUntouched() throws {
            #expect(try String(contentsOfFile: canary, encoding: .utf8) == "still here")
            #expect(try String(contentsOfFile: key, encoding: .utf8) == "SECRET")
            usleep(300_000)
            let left = Set(try HostileCorpusTests().leftovers(runTemp: runTemp)).subtracting(before)
            #expect(left.isEmpty, "\(user): left behind \(left)")
        }

        func tearDown() {
            close(listener)
            try? FileManager.default.removeItem(atPath: runTemp)
            try? FileManager.default.removeItem(atPath: key)
            try? FileManager.default.removeItem(atPath: canary)
            if user == "nobody" { try? FileManager.default.removeItem(atPath: home) }
        }
    }

    func runCorpus(as user: String) throws {
        let tools = try Self.toolsAnyoneCanRun()
        defer { try? FileManager.default.removeItem(at: tools) }
        let ground = try Ground(as: user, keyName: "loco-hostile-key")
        defer { ground.tearDown() }

        let input = try Self.corpus.map { item -> String in
            let code = ground.fill(item.code)
            var record: [String: Any] = ["id": item.id, "query": "hostile", "answer": code, "tests": item.testBlock ?? item.tests]
            if let entryPoint = item.entryPoint { record["entry_point"] = entryPoint }
            return String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self)
        }.joined(separator: "\n")
        let inputFile = tools.appendingPathComponent("corpus.jsonl")
        try (input + "\n").write(to: inputFile, atomically: true, encoding: .utf8)
        _ = try shell("chmod a+r \(quoted(inputFile.path))")
        let result = try shell("\(ground.prefix)\(quoted(tools.path + "/loco-score")) --metric pass@1 < \(quoted(inputFile.path))",
                               environment: ["TMPDIR": ground.runTemp], directory: tools.path, timeout: 600)
        let scored = try result.lines.map(jsonObject)
        #expect(scored.count == Self.corpus.count, "\(result.stderr)")
        for (item, record) in zip(Self.corpus, scored) {
            let score = record["score"] as? [String: Any]
            #expect(record["id"] as? String == item.id)
            #expect(score?["value"] as? Double == 0, "\(user): \(item.id) scored \(score ?? [:]) \(record["error"] ?? "")")
            let run = (score?["runs"] as? [String])?.first ?? ""
            if let report = E2E.env["LOCO_HOSTILE_REPORT"] {
                let row = "| \(item.id) | \(user) | \(score?["value"] ?? "?") | \(run) |\n"
                if let handle = FileHandle(forWritingAtPath: report) { handle.seekToEndOfFile(); handle.write(Data(row.utf8)); handle.closeFile() }
            }
            if let reason = item.reason {
                #expect(run.hasPrefix(reason), "\(user): \(item.id): \(run)")
            }
        }
        try ground.expectUntouched()
    }

    @Test func asRootEveryCaseIsContainedAndScoresZero() throws {
        try #require(geteuid() == 0, "the suite runs as root in CI")
        try runCorpus(as: "root")
    }

    @Test func asAnOrdinaryUserEveryCaseIsContainedAndScoresZero() throws {
        try #require(geteuid() == 0, "switching to nobody needs root")
        try runCorpus(as: "nobody")
    }

    @Test func aCorrectAnswerStillPassesForBoth() throws {
        let tools = try Self.toolsAnyoneCanRun()
        defer { try? FileManager.default.removeItem(at: tools) }
        let record = #"{"id":"ok","query":"q","answer":"def f():\n    return 1\n","tests":["assert f() == 1","assert f() + 1 == 2"]}"#
        for prefix in ["", "setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp "] {
            let result = try shell("echo \(quoted(record)) | \(prefix)\(quoted(tools.path + "/loco-score")) --metric pass@1", directory: tools.path)
            let score = try jsonObject(try #require(result.lines.first))["score"] as? [String: Any]
            #expect(score?["value"] as? Double == 1 && (score?["runs"] as? [String]) == ["passed"], "\(prefix): \(result.stdout) \(result.stderr)")
        }
    }
}
