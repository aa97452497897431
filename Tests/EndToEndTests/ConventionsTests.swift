import Foundation
import Testing

/// What users expect of any Unix tool: --version, --help that ends with an example, no colour.
@Suite struct ConventionsTests {
    static let tools = ["loco-route", "loco-prompt", "loco-gen", "loco-vote", "loco-score", "loco-adapters", "loco-chat", "loco-report", "loco-query", "loco-run"]

    @Test(arguments: tools)
    func versionHelpAndNoColour(tool: String) throws {
        let version = try shell("\(tool) --version")
        #expect(version.status == 0)
        #expect(version.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, "\(version.stdout)")
        let help = try shell("NO_COLOR=1 \(tool) --help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("EXAMPLE:"), "--help ends with an example")
        #expect(!help.stdout.contains("\u{1B}["), "no escape sequences")
        let mistake = try shell("\(tool) --no-such-flag")
        #expect(mistake.status == 2, "a usage mistake is exit 2, as --help says")
        let said = mistake.stderr.split(separator: "\n")
        #expect(said.count == 3 && said[0].hasPrefix("\(tool): ") && said[1].hasPrefix("Usage: \(tool)"), "one line, the usage, where to read more: \(mistake.stderr)")
        #expect(!mistake.stderr.contains("\u{1B}["))
    }

    @Test func theWrapperToo() throws {
        #expect(try shell("loco --version").stdout == "loco 0.1.0\n")
        let help = try shell("loco --help")
        #expect(help.stdout.contains("Exit status: 0 done; 1 ") && !help.stdout.contains("\u{1B}["))
        let unknown = try shell("loco frobnicate")
        #expect(unknown.status == 2 && unknown.stderr == "loco: unknown command 'frobnicate' (see 'loco --help')\n")
    }

    @Test func noStageImportsAnotherStage() throws {
        let r = try shell("scripts/check-layers.sh")
        #expect(r.status == 0, "\(r.stderr)")
        // And the check can fail: a copy of the package where loco-gen's library reaches into
        // loco-vote's (undeclared, and a stage beside a stage), loco-score declares a library
        // none of its files imports, a tool uses the tests' helpers, and LocoReport's tests are gone.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("layers-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let broken = try shell("mkdir -p \(quoted(copy)) && cp -r Package.swift Sources Tests \(quoted(copy)) && sed -i '1i import LocoVote' \(quoted(copy))/Sources/LocoGen/GenStage.swift "
                               + "&& sed -i '/^import LocoScore$/d' \(quoted(copy))/Sources/loco-score/main.swift "
                               + "&& sed -i '1i import LocoTestSupport' \(quoted(copy))/Sources/loco-report/main.swift "
                               + "&& sed -i '/name: \"LocoReportTests\"/d' \(quoted(copy))/Package.swift && rm -r \(quoted(copy))/Tests/LocoReportTests "
                               + "&& scripts/check-layers.sh \(quoted(copy))")
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("Sources/LocoGen/GenStage.swift:1: LocoGen imports LocoVote, which Package.swift does not declare for it"), "\(broken.stderr)")
        #expect(broken.stderr.contains("Sources/LocoGen/GenStage.swift:1: LocoGen (floor 2) depends on LocoVote (floor 2)"), "\(broken.stderr)")
        #expect(broken.stderr.contains("Package.swift: loco-score declares LocoScore, which none of its files imports"), "\(broken.stderr)")
        #expect(broken.stderr.contains("Sources/loco-report/main.swift:1: loco-report imports LocoTestSupport, which Package.swift does not declare for it"), "\(broken.stderr)")
        #expect(broken.stderr.contains("Sources/loco-report/main.swift:1: loco-report depends on LocoTestSupport, which is for tests only"), "\(broken.stderr)")
        #expect(broken.stderr.contains("Package.swift: LocoReport has no tests beside its name"), "\(broken.stderr)")
    }

    /// The sampling flags are declared once: each tool that generates explains them in the same words.
    @Test func theSamplingFlagsReadTheSameInEveryToolThatGenerates() throws {
        func paragraphs(_ tool: String) throws -> [String] {
            let help = try shell("\(tool) --help").stdout
            var found: [String] = []
            var current: String?
            for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("  -") {
                    if let current { found.append(current) }
                    current = String(line)
                } else if line.hasPrefix("        "), current != nil {
                    current! += "\n" + line
                } else {
                    if let current { found.append(current) }
                    current = nil
                }
            }
            return found.filter { paragraph in ["--max-tokens", "--temperature", "--seed"].contains { paragraph.hasPrefix("  \($0) ") } }
        }
        let gen = try paragraphs("loco-gen")
        #expect(gen.count == 3, "\(gen)")
        for tool in ["loco-query", "loco-run", "loco-chat"] {
            #expect(try paragraphs(tool) == gen, "\(tool)")
        }
    }

    @Test func theWrapperReadsOllamaHostAsTheToolsDo() throws {
        for (host, url) in [(":11500", "http://127.0.0.1:11500"), ("example.com/", "http://example.com:11434"), ("https://h:1/", "https://h:1")] {
            let r = try shell("loco-adapters engine --backend ollama", environment: ["OLLAMA_HOST": host, "LOCO_URL": ""])
            #expect(r.stdout == "ollama \(url)\n", "\(host): \(r.stdout)\(r.stderr)")
        }
        let doctor = try shell("loco doctor", environment: ["OLLAMA_HOST": ":11500", "LOCO_URL": ""], timeout: 60)
        #expect(doctor.stdout.contains("Ollama at http://127.0.0.1:11500"), "\(doctor.stdout)")
    }

    /// `loco CMD --help` explains CMD and does nothing else: no build, no engine started.
    @Test(arguments: ["query", "chat", "run", "grade", "correct", "log", "eval", "report", "adapters", "setup", "demo", "doctor", "engine", "completions"])
    func everyCommandAnswersHelp(command: String) throws {
        let r = try shell("loco \(command) --help", environment: ["LOCO_LLAMA_PORT": "9"], timeout: 30)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("OVERVIEW: ") || r.stdout.hasPrefix("  loco \(command)"), "\(r.stdout)")
        #expect(!r.stderr.contains("starting llama-server") && !r.stderr.contains("building the tools"), "\(r.stderr)")
    }

    /// `loco engine stop` (and so `restart`, and `setup` with an engine up) stops a server that
    /// outlasts SIGTERM, as one busy with requests may: killed after 5 s, not left holding those
    /// requests unanswered while the next server takes its port.
    @Test func engineStopKillsAServerThatDoesNotStopWhenAsked() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("loco-e2e-stop-\(getpid())")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: cache) }
        let stubborn = Process(), ready = Pipe()
        stubborn.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        stubborn.arguments = ["python3", "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(120)"]
        stubborn.standardOutput = ready
        try stubborn.run()
        _ = ready.fileHandleForReading.availableData  // its SIGTERM is ignored from here on
        try "\(stubborn.processIdentifier)\n".write(to: cache.appendingPathComponent("llama-server-9.pid"), atomically: true, encoding: .utf8)
        let r = try shell("loco engine stop", environment: ["LOCO_CACHE": cache.path, "LOCO_LLAMA_PORT": "9", "LOCO_EMBEDDING_PORT": "10"], timeout: 60)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("stopped llama-server (pid \(stubborn.processIdentifier), killed: it did not stop within 5 s"), "\(r.stderr)")
        stubborn.waitUntilExit()
        #expect(stubborn.terminationReason == .uncaughtSignal && stubborn.terminationStatus == SIGKILL)
        #expect(!FileManager.default.fileExists(atPath: cache.appendingPathComponent("llama-server-9.pid").path))
    }
}
