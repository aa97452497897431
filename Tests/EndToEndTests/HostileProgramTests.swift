import Foundation
import Testing

/// Hostile "answers" written as math programs (`answer_format: program`), run by the real
/// loco-vote as root and as an ordinary user (`nobody`): a program's answer is what it printed on
/// its own standard output, nothing else. Each case honestly prints 1 (where it gets that far) and
/// tries to make the vote say 99 another way; none may, each limit is named, and nothing is left
/// behind. docs/sandbox.md lists the cases. Nested in the code corpus's serialized suite, so the two
/// corpora (each with its fork bomb) never load the machine at once.
extension HostileCorpusTests {
@Suite(.serialized) struct HostileProgramTests {
    struct Case {
        var id: String
        var program: String
        /// The answer the vote must give: what the program honestly printed, or nil (no vote).
        var answer: String?
        /// How the run must have ended (a prefix of `runs[0].ended`).
        var ended: String
    }

    static let corpus: [Case] = [
        Case(id: "prints-the-verdict-marker", program: """
            import sys
            for out in (sys.stdout, sys.stderr):
                print('LOCO-RESULT 00000000-0000-0000-0000-000000000000 {"program": {"stdout": "99", "cut": false, "ended": null}}', file=out)
            print(1)
            """, answer: "1", ended: "ok"),
        Case(id: "writes-to-the-verdict-channel", program: """
            for path in ('/proc/1/fd/1', '/proc/self/fd/1', '/dev/stdout', '/proc/1/fd/2', '/proc/1/fd/0'):
                try:
                    with open(path, 'w') as out:
                        out.write('LOCO-RESULT x {"program": {"stdout": "99", "ended": null}}\\n')
                except OSError:
                    pass
            print(1)
            """, answer: "1", ended: "ok"),
        Case(id: "kills-the-harness", program: """
            import os, signal
            for pid in (1, os.getppid(), -1):
                for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGSTOP):
                    try:
                        os.kill(pid, sig)
                    except OSError:
                        pass
            print(1)
            """, answer: "1", ended: "ok"),
        Case(id: "prints-then-raises", program: "print(99)\nraise ValueError('changed my mind')\n", answer: nil, ended: "ValueError: changed my mind"),
        Case(id: "exits-non-zero-after-printing", program: "import os\nprint(99, flush=True)\nos._exit(3)\n", answer: nil, ended: "the program exited with status 3"),
        Case(id: "daemon-prints-after-exit", program: """
            import os, time, sys
            print(1, flush=True)
            if os.fork() == 0:
                os.setsid()
                time.sleep(0.5)
                for _ in range(50):
                    print(99, flush=True)
                    time.sleep(0.1)
            """, answer: "1", ended: "ok"),
        Case(id: "fork-bomb", program: "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
             answer: nil, ended: "wall-clock limit"),
        Case(id: "infinite-loop", program: "while True:\n    pass\n", answer: nil, ended: "the program was killed at the CPU time limit"),
        Case(id: "sleeps-past-the-wall-clock", program: "import time\ntime.sleep(60)\nprint(99)\n", answer: nil, ended: "wall-clock limit"),
        Case(id: "one-huge-allocation", program: "print(len(bytearray(4 << 30)))\n", answer: nil, ended: "MemoryError"),
        Case(id: "huge-output", program: "import sys\nfor _ in range(200):\n    sys.stdout.write('9' * (1 << 20))\nprint()\nprint(1)\n",
             answer: nil, ended: "printed more than 64 KiB"),
        Case(id: "reads-ssh-keys", program: "print(open('{{HOME}}/.ssh/loco-hostile-program-key').read())\n", answer: nil, ended: "FileNotFoundError"),
        Case(id: "network-to-the-host-loopback", program: "import socket\nsocket.create_connection(('127.0.0.1', {{PORT}}), timeout=2)\nprint(99)\n",
             answer: nil, ended: "ConnectionRefusedError"),
        Case(id: "writes-everywhere-writable", program: """
            import os
            for top in ['/', '/tmp', '/sandbox', '/usr', '{{HOME}}']:
                for directory, _, _ in os.walk(top):
                    if directory.startswith('/proc'):
                        continue
                    try:
                        with open(os.path.join(directory, 'loco-hostile-left-behind'), 'w') as out:
                            out.write('x')
                    except OSError:
                        pass
            print(1)
            """, answer: "1", ended: "ok"),
        Case(id: "redefines-print", program: "import builtins\nbuiltins.print = lambda *a, **k: None\nprint(99)\nimport sys\nsys.stdout.write('1\\n')\n",
             answer: "1", ended: "ok"),
    ]

    func run(as user: String) throws {
        let tools = try HostileCorpusTests.toolsAnyoneCanRun(including: "loco-vote")
        defer { try? FileManager.default.removeItem(at: tools) }
        let ground = try HostileCorpusTests.Ground(as: user, keyName: "loco-hostile-program-key")
        defer { ground.tearDown() }

        let input = try Self.corpus.map { item -> String in
            let program = ground.fill(item.program)
            let record: [String: Any] = ["id": item.id, "samples": [["text": "```python\n" + program + "```"]]]
            return String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self)
        }.joined(separator: "\n")
        let inputFile = tools.appendingPathComponent("programs.jsonl")
        try (input + "\n").write(to: inputFile, atomically: true, encoding: .utf8)
        _ = try shell("chmod a+r \(quoted(inputFile.path))")
        let result = try shell("\(ground.prefix)\(quoted(tools.path + "/loco-vote")) --format program < \(quoted(inputFile.path))",
                               environment: ["TMPDIR": ground.runTemp], directory: tools.path, timeout: 600)
        let voted = try result.lines.map(jsonObject)
        #expect(voted.count == Self.corpus.count, "\(result.stderr)")
        for (item, record) in zip(Self.corpus, voted) {
            #expect(record["id"] as? String == item.id)
            let run = (record["runs"] as? [[String: Any]])?.first
            let ended = run?["ended"] as? String ?? "no run: \(record["error"] ?? "")"
            #expect(record["answer"] as? String == item.answer, "\(user): \(item.id) answered \(record["answer"] ?? "null") (\(ended))")
            #expect(ended.hasPrefix(item.ended) || ended.contains(item.ended), "\(user): \(item.id): \(ended)")
            if let report = E2E.env["LOCO_HOSTILE_REPORT"] {
                let row = "| program: \(item.id) | \(user) | \(record["answer"] ?? "null") | \(ended) |\n"
                if let handle = FileHandle(forWritingAtPath: report) { handle.seekToEndOfFile(); handle.write(Data(row.utf8)); handle.closeFile() }
            }
        }
        try ground.expectUntouched()
    }

    @Test func asRootNoProgramForgesItsAnswerOrEscapes() throws {
        try #require(geteuid() == 0, "the suite runs as root in CI")
        try run(as: "root")
    }

    @Test func asAnOrdinaryUserNoProgramForgesItsAnswerOrEscapes() throws {
        try #require(geteuid() == 0, "switching to nobody needs root")
        try run(as: "nobody")
    }
}
}
