import Foundation
import Testing
@testable import LocoKit
import LocoSandbox

/// How the sandbox decides and reports: per test, by the harness, with the limit that stopped a
/// run named. The hostile corpus, run through loco-score as root and as `nobody`, is in
/// Tests/EndToEndTests/HostileCorpusTests.swift.
@Suite(.serialized) struct SandboxTests {
    static let sandbox = Result { try Sandbox.make() }

    func test(_ code: String, _ tests: [String] = ["assert f() == 1"]) throws -> Sandbox.Verdict {
        try Self.sandbox.get().test(code: code, tests: tests)
    }

    @Test func whereNoSandboxCanBeMadeNothingRunsAndTheReasonIsGiven() throws {
        #expect(throws: SandboxUnavailable.self) { try Sandbox.make(bubblewrap: nil) }
        do {
            _ = try Sandbox.make(bubblewrap: "/usr/bin/false")
            Issue.record("a bubblewrap that fails made a sandbox")
        } catch let error as SandboxUnavailable {
            #expect(error.description.hasPrefix("needs sandbox: bubblewrap cannot make a sandbox here (the harness gave no verdict (status 1)"), "\(error)")
        }
    }

    @Test func unprobedASandboxThatCannotBeMadeStillRunsNothingAndSaysWhy() throws {
        // Made without its probe (a one-off program skips it); the first run that gets no verdict probes.
        let broken = try Sandbox.make(bubblewrap: "/usr/bin/false", probe: false)
        for run in [{ _ = try broken.run(program: "print(1)") }, { _ = try broken.test(code: "x = 1", tests: ["assert x == 1"]) }] {
            do {
                try run()
                Issue.record("a bubblewrap that fails ran code")
            } catch let error as SandboxUnavailable {
                #expect(error.description.hasPrefix("needs sandbox: bubblewrap cannot make a sandbox here (the harness gave no verdict (status 1)"), "\(error)")
            }
        }
        // A working one, unprobed, runs as a probed one does.
        let working = try Sandbox.make(bubblewrap: Sandbox.which("bwrap"), probe: false)
        let outcome = try working.run(program: "print(6 * 7)")
        #expect(outcome.printed == "42\n" && outcome.failure == nil, "\(outcome)")
        // A program that fails in a sandbox that was made says why; the sandbox's own line is not its output.
        let failed = try working.run(program: "import os\nprint(5, flush=True)\nos._exit(1)")
        #expect(failed.printed == "5\n" && failed.failure == "the program exited with status 1", "\(failed)")
        let raised = try working.run(program: "raise KeyError('k')")
        #expect(raised.failure == "KeyError: 'k'", "\(raised)")
    }

    @Test func eachTestPassesOrFailsOnItsOwn() throws {
        let verdict = try test("def add(a, b):\n    return a + b\n", ["assert add(2, 3) == 5", "assert add(2, 2) == 5", "assert add('a', 'b') == 'ab'"])
        #expect(verdict.failures.map { $0 == nil } == [true, false, true], "\(verdict)")
        #expect(verdict.failures[1] == "assertion failed: assert add(2, 2) == 5")
        #expect(verdict.passedCount == 2 && !verdict.passed)
        #expect(verdict.summary == "2 of 3 tests passed: assertion failed: assert add(2, 2) == 5")
    }

    @Test func valuesCrossAsPythonValues() throws {
        let code = """
            from collections import Counter, namedtuple
            Point = namedtuple('Point', 'x y')
            def values():
                return (1, 2.5, 'x', b'y', None, True, {1, 2}, frozenset([3]), {(1, 2): [3]}, 1 + 2j, float('inf'))
            def counts(s):
                return Counter(s)
            def point():
                return Point(1, 2)
            def squares(n):
                return (i * i for i in range(n))
            class Stack:
                def __init__(self):
                    self.items = []
                def push(self, x):
                    self.items.append(x)
                    return len(self.items)
            """
        let verdict = try test(code, [
            "assert values() == (1, 2.5, 'x', b'y', None, True, {1, 2}, frozenset([3]), {(1, 2): [3]}, 1 + 2j, float('inf'))",
            "assert counts('aab') == {'a': 2, 'b': 1}",
            "assert point() == (1, 2)",
            "assert list(squares(4)) == [0, 1, 4, 9]",
            "s = Stack()\nassert s.push(5) == 1 and s.push(6) == 2\nassert s.items == [5, 6]",
            "import math\nassert math.isclose(values()[1], 2.5)",
        ])
        #expect(verdict.passed, "\(verdict.failures) \(verdict.output)")
    }

    @Test func humanEvalChecksAreCalledWithTheEntryPoint() throws {
        let check = "def check(candidate):\n    assert candidate(2) == 4\n    assert candidate(3) == 9\n"
        let right = try Self.sandbox.get().test(code: "def sq(x):\n    return x * x\n", tests: [check], entryPoint: "sq")
        #expect(right.passed, "\(right)")
        let wrong = try Self.sandbox.get().test(code: "def sq(x):\n    return x + x\n", tests: [check], entryPoint: "sq")
        #expect(!wrong.passed && wrong.summary == "assertion failed: assert candidate(3) == 9", "\(wrong)")
    }

    @Test func aTestsBuiltinsAndModulesAreTheRealOnesWhateverTheCodeDefines() throws {
        let forged = try test("import math as m\ndef sorted(*a):\n    return [1, 2]\n\nclass M:\n    isclose = staticmethod(lambda *a, **k: True)\n\nmath = M()\n\ndef f():\n    return [3]\n",
                              ["assert sorted(f()) == [1, 2]", "assert math.isclose(f()[0], 1.0)", "assert sorted(f()) == [3]"])
        #expect(forged.failures.map { $0 == nil } == [false, false, true], "\(forged)")
        // MBPP's task 126 asks for a function named `sum`: the test calls nothing else of the code's.
        let named = try test("def sum(a, b):\n    return a - b\n", ["assert sum(10, 15) == -5"])
        #expect(named.passed, "\(named)")
        // The entry point is the code's, whatever its name.
        let entry = try Self.sandbox.get().test(code: "def max(xs):\n    return min(xs)\n", tests: ["def check(candidate):\n    assert candidate([1, 2]) == 1\n"], entryPoint: "max")
        #expect(entry.passed, "\(entry)")
    }

    @Test func aHumanEvalCheckAlwaysRunsAndAMissingEntryPointFails() throws {
        let check = "def check(candidate):\n    assert candidate(2, 3) == 5\n"
        let missing = try Self.sandbox.get().test(code: "x = 1\n", tests: [check], entryPoint: "add")
        #expect(missing.summary == "the code defines no add, the function the tests check", "\(missing)")
        let listed = try CodeExecution().run(code: "def add(a, b):\n    return a - b\n", record: ["tests": [.string(check)], "entry_point": "add"])
        #expect(listed?.summary == "assertion failed: assert candidate(2, 3) == 5", "\(String(describing: listed))")
    }

    @Test func aSubclassOfABuiltinCrossesAsTheValueItHolds() throws {
        let verdict = try test("class I(int):\n    __int__ = __index__ = lambda self: 1\n    __eq__ = lambda self, other: True\n    __hash__ = int.__hash__\n\ndef f():\n    return I(2)\n",
                               ["assert f() == 1", "assert f() == 2 and type(f()) is int"])
        #expect(verdict.failures.map { $0 == nil } == [false, true], "\(verdict)")
    }

    @Test func anObjectOfTheCodesOwnMakingCannotClaimToBeTheAnswer() throws {
        let verdict = try test("class Yes:\n    def __eq__(self, other):\n        return True\n    __bool__ = lambda self: True\n\ndef f():\n    return Yes()\n",
                               ["assert f() == 1", "assert f()", "assert not f() != 1"])
        #expect(verdict.passedCount == 0, "\(verdict)")
        #expect(verdict.failures[0]?.contains("does not trust") == true, "\(verdict)")
    }

    @Test func theCodeNeverSeesTheTests() throws {
        // The tests and the nonce reach the harness on its standard input, never on a file.
        let verdict = try test("""
            import os, glob
            seen = []
            for path in glob.glob('/sandbox/*') + ['/proc/1/cmdline', '/proc/1/environ', '/proc/1/mem', '/proc/1/fd/0']:
                try:
                    seen.append(open(path, 'rb').read(1 << 20))
                except OSError:
                    pass
            def f():
                return any(b'secret-expected-value' in s for s in seen)
            """, ["assert f() == False or 'secret-expected-value'"])
        #expect(verdict.passed, "\(verdict)")
    }

    @Test func aLimitKillSaysWhichLimit() throws {
        let cpu = try test("def f():\n    while True:\n        pass\n")
        #expect(cpu.summary.contains("CPU time limit (5 s of CPU)"), "\(cpu)")
        var sandbox = try Self.sandbox.get()
        sandbox.limits.wallSeconds = 2
        let wall = try sandbox.test(code: "import time\ndef f():\n    time.sleep(60)\n", tests: ["assert f() == 1"])
        #expect(wall.summary.hasPrefix("wall-clock limit"), "\(wall)")
        #expect(wall.seconds < 5)
        let file = try test("def f():\n    with open('big', 'wb') as out:\n        out.write(b'x' * (11 << 20))\n    return 1\n")
        #expect(file.summary.hasPrefix("file size limit (10 MiB): OSError: [Errno 27] File too large"), "\(file)")
        let disk = try test("def f():\n    for i in range(10):\n        with open(f'part{i}', 'wb') as out:\n            out.write(b'x' * (9 << 20))\n    return 1\n")
        #expect(disk.summary.hasPrefix("disk limit (32 MiB under /tmp): OSError: [Errno 28] No space left on device"), "\(disk)")
        let memory = try test("""
            import os, time
            def f():
                for _ in range(5):
                    if os.fork() == 0:
                        block = b'x' * (700 << 20)
                        time.sleep(30)
                time.sleep(30)
            """)
        #expect(memory.limit?.hasPrefix("memory limit: the run's processes held more than 1 GiB together") == true, "\(memory)")
        #expect(memory.passedCount == 0)
    }

    @Test func printingWithoutEndNeitherFailsNorFillsAnything() throws {
        let verdict = try test("import sys\nfor _ in range(200):\n    sys.stdout.write('x' * (1 << 20))\ndef f():\n    return 1\n")
        #expect(verdict.passed, "\(verdict.summary)")
        #expect(verdict.output.utf8.count == 64 << 10)
    }

    @Test func processesAreCountedForTheWholeRun() throws {
        // Children that fork grandchildren: every process of the run counts against one total.
        let verdict = try test("""
            import os, time
            def spawned():
                made = 0
                for _ in range(40):
                    try:
                        pid = os.fork()
                    except OSError:
                        break
                    if pid == 0:
                        for _ in range(40):
                            try:
                                os.fork() == 0 and time.sleep(30)
                            except OSError:
                                break
                        time.sleep(30)
                    made += 1
                time.sleep(1)
                return len([p for p in os.listdir('/proc') if p.isdigit()])
            """, ["n = spawned()\nassert n <= 64, n"])
        #expect(verdict.passed, "\(verdict)")
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

    @Test func testsAreStatementsOrOneBlockWithItsEntryPoint() throws {
        let mbpp: JSONObject = ["tests": ["assert f() == 1", "assert f() != 2"]]
        #expect(try CodeExecution.tests(of: mbpp).tests == ["assert f() == 1", "assert f() != 2"])
        let humanEval: JSONObject = ["tests": "def check(candidate):\n    assert candidate() == 1", "entry_point": "f"]
        #expect(try CodeExecution.tests(of: humanEval).entryPoint == "f")
        let listed: JSONObject = ["tests": ["def check(candidate):\n    assert candidate() == 1"], "entry_point": "f"]
        #expect(try CodeExecution.tests(of: listed).entryPoint == "f")
        #expect(throws: RecordError.self) { try CodeExecution.tests(of: [:]) }
        #expect(throws: RecordError.self) { try CodeExecution.tests(of: ["tests": 3]) }
    }

    @Test func withoutASandboxTheRecordIsAnErrorAndNothingRuns() throws {
        let execution = CodeExecution(sandbox: .failure(SandboxUnavailable("needs sandbox: test")))
        #expect(throws: RecordError("needs sandbox: test")) {
            try execution.run(code: "open('/tmp/loco-should-not-exist', 'w')", record: ["tests": "pass"])
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/loco-should-not-exist"))
    }
}
