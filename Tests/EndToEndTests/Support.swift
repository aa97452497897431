import Foundation
import Testing
import LocoTestSupport

/// Where the checkout, the built tools and the engine under test are.
enum E2E {
    static let root = checkoutRoot
    static let env = ProcessInfo.processInfo.environment
    static let bin = env["LOCO_BIN"] ?? root.appendingPathComponent(".build/debug").path
    /// A running llama-server with the packaged model; scripts/test.sh starts one and sets this.
    static let engineURL = env["LOCO_TEST_URL"]
    static var hasEngine: Bool { engineURL != nil }
    static let examples = root.appendingPathComponent("examples/problems.jsonl").path
}

struct ShellResult {
    var stdout: String
    var stderr: String
    var status: Int32
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
}

/// Runs `command` with bash (pipefail on), the tools first on PATH, in `directory`.
/// Killed after `timeout` seconds so a hang fails the test instead of stalling the suite.
func shell(_ command: String, environment extra: [String: String] = [:], directory: String? = nil, timeout: Double = 300) throws -> ShellResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-o", "pipefail", "-c", command]
    var env = E2E.env
    env["PATH"] = "\(E2E.bin):\(E2E.root.appendingPathComponent("bin").path):" + (env["PATH"] ?? "/usr/bin:/bin")
    env["LOCO_BIN"] = E2E.bin
    env["LOCO_REGISTRY"] = E2E.root.appendingPathComponent("adapters/registry.yaml").path
    env["XDG_CONFIG_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("loco-e2e-no-config").path
    // Tests never write the user's own routing log; the ones about the log pass their own file.
    env["LOCO_NO_LOG"] = "1"
    // Nor the user's installed adapters; tests about installing pass their own file.
    env["LOCO_ADAPTERS_STATE"] = FileManager.default.temporaryDirectory.appendingPathComponent("loco-e2e-adapters-\(getpid()).json").path
    for (k, v) in extra { env[k] = v }
    process.environment = env
    process.currentDirectoryURL = URL(fileURLWithPath: directory ?? E2E.root.path)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
    try Data().write(to: outURL)
    try Data().write(to: errURL)
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning {
        kill(-process.processIdentifier, SIGKILL)
        process.terminate()
        Issue.record("command timed out after \(timeout) s: \(command)")
        // A daemon the command started may still hold the socket by which Foundation sees the exit;
        // waitUntilExit would then wait for the daemon. Give up instead of hanging the suite.
        let grace = Date().addingTimeInterval(10)
        while process.isRunning && Date() < grace { usleep(20_000) }
        if process.isRunning {
            Issue.record("a process started by the command outlived it: \(command)")
            return ShellResult(stdout: "", stderr: "", status: -1)
        }
    }
    process.waitUntilExit()
    return ShellResult(stdout: try String(contentsOf: outURL, encoding: .utf8),
                       stderr: try String(contentsOf: errURL, encoding: .utf8),
                       status: process.terminationStatus)
}

func jsonObject(_ line: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
}

/// Single quotes for bash.
func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

/// Every test that drives the real llama-server. Serialized as a whole, because requests that
/// run side by side are batched and can differ in the last bits of their arithmetic. Even alone, a
/// repeated request can come out differently (the prompt cache), so no test compares the text of
/// two requests: text is checked against the engine's answer to the same request (RecordingProxy).
@Suite(.serialized, .enabled(if: E2E.hasEngine, "needs LOCO_TEST_URL: run scripts/test.sh"))
enum RealEngine {}
