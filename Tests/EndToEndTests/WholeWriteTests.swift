import Foundation
import Testing

/// Writes are whole or absent: a full disk (a small tmpfs, which only root can mount) stops a run
/// with one line and a non-zero exit, leaving only whole records; a resume that cannot finish leaves
/// OUT as it was; a second run on the same OUT refuses at once. docs/reliability.md lists them.
@Suite struct WholeWriteTests {
    /// A tmpfs of `bytes`, removed when `body` returns.
    static func withFullDisk(bytes: Int, _ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { _ = try? shell("umount \(quoted(dir))"); try? FileManager.default.removeItem(atPath: dir) }
        let mounted = try shell("mount -t tmpfs -o size=\(bytes) tmpfs \(quoted(dir))")
        try #require(mounted.status == 0, "mounting a small tmpfs needs root: \(mounted.stderr)")
        try body(dir)
    }

    /// Every line of `path` is a whole JSON object, and the file ends with a newline.
    static func wholeRecords(_ path: String) throws -> Int {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.isEmpty || text.hasSuffix("\n"), "a torn last line: \(text.suffix(80))")
        let lines = text.split(separator: "\n")
        for line in lines { _ = try jsonObject(String(line)) }
        return lines.count
    }

    static let scored = (1...300).map { #"{"id":\#($0),"query":"what is six times seven? \#(String(repeating: "x", count: 60))","answer":"42","expected":"42"}"# }
        .joined(separator: "\n") + "\n"

    @Test func aStageOnAFullDiskStopsWithOneLineAndOnlyWholeRecords() throws {
        try Self.withFullDisk(bytes: 8192) { dir in
            let input = FileManager.default.temporaryDirectory.appendingPathComponent("loco-full-in-\(UUID().uuidString).jsonl").path
            try Self.scored.write(toFile: input, atomically: true, encoding: .utf8)
            defer { unlink(input) }
            let out = dir + "/scored.jsonl"
            let r = try shell("\(E2E.bin)/loco-score < \(quoted(input)) > \(quoted(out))")
            #expect(r.status == 2, "\(r.stderr)")
            let kept = try Self.wholeRecords(out)
            #expect(kept > 0 && kept < 300)
            #expect(r.stderr == "loco-score: cannot write standard output: No space left on device; stopped: it holds the \(kept) whole record\(kept == 1 ? "" : "s") written before the failure\n")
        }
    }

    @Test func aStageWritingToAFullDeviceSaysSo() throws {
        let r = try shell("yes '{\"answer\":\"4\",\"expected\":\"4\"}' | head -5000 | \(E2E.bin)/loco-score > /dev/full")
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("loco-score: cannot write standard output: No space left on device"), "\(r.stderr)")
        // What a tool prints through stdio (its help, loco run's rows) is checked too.
        let help = try shell("\(E2E.bin)/loco-score --help > /dev/full")
        // Line-buffered (stdbuf -oL, as scripts/test.sh runs the suite) the reason is gone by the end: the failure is not.
        #expect(help.status == 2 && help.stderr.hasPrefix("loco-score: cannot write standard output"), "\(help.stderr)")
        let lineBuffered = try shell("stdbuf -oL \(E2E.bin)/loco-score --help > /dev/full")
        #expect(lineBuffered.status == 2 && lineBuffered.stderr == "loco-score: cannot write standard output\n", "\(lineBuffered.stderr)")
    }

    @Test func aSecondRunOnTheSameOutRefusesAndNamesTheFirst() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/out.jsonl", problems = dir + "/problems.jsonl"
        try #"{"id":"a","query":"What is 2 + 2?"}"#.appending("\n").write(toFile: problems, atomically: true, encoding: .utf8)
        // The first holds OUT while it waits for its input, which never comes until the pipe closes.
        let first = Process(), input = Pipe()
        first.executableURL = URL(fileURLWithPath: E2E.bin + "/loco-gen")
        first.arguments = ["--resume", out]
        first.environment = ["PATH": "/usr/bin:/bin", "LOCO_URL": "http://127.0.0.1:9"]
        first.standardInput = input
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer { try? input.fileHandleForWriting.close(); first.waitUntilExit() }
        let holder = first.processIdentifier
        for _ in 0..<300 where !((try? String(contentsOfFile: "/proc/locks", encoding: .utf8)) ?? "").contains(" \(holder) ") { usleep(50_000) }
        let expected = "\(out) is being written by another run (process \(holder)): wait for it to end, or write to another file"
        let run = try shell("\(E2E.bin)/loco-run \(quoted(problems)) -o \(quoted(out)) --adapter none --parallel 1", environment: ["LOCO_URL": "http://127.0.0.1:9"])
        #expect(run.status == 2)
        #expect(run.stderr == "loco-run: \(expected)\n", "\(run.stderr)")
        let gen = try shell("\(E2E.bin)/loco-gen --resume \(quoted(out)) < /dev/null", environment: ["LOCO_URL": "http://127.0.0.1:9"])
        #expect(gen.status == 2)
        #expect(gen.stderr.contains(expected), "\(gen.stderr)")
    }
}

extension RealEngine {
    @Suite struct WholeWriteRunTests {
        let engine = ["LOCO_BACKEND": "llama-server", "LOCO_URL": E2E.engineURL ?? "", "LOCO_MAX_TOKENS": "40"]

        @Test func locoRunOnAFullDiskStopsWithOnlyWholeRecordsAndNeverClaimsTheRest() throws {
            try WholeWriteTests.withFullDisk(bytes: 4096) { dir in
                let out = dir + "/run.jsonl"
                let r = try shell("loco run \(quoted(E2E.examples)) --seed 3 -o \(quoted(out))", environment: engine)
                #expect(r.status == 2, "\(r.stderr)")
                let kept = try WholeWriteTests.wholeRecords(out)
                #expect(kept < 12)
                #expect(r.stderr.contains("loco-run: cannot write \(out): No space left on device; stopped: it holds the \(kept) whole record"), "\(r.stderr)")
                #expect(!r.stdout.contains("12 records"), "\(r.stdout)")
            }
        }

        @Test func aResumeOnAFullDiskLeavesOutAsItWas() throws {
            try WholeWriteTests.withFullDisk(bytes: 4096) { dir in
                let out = dir + "/run.jsonl", one = FileManager.default.temporaryDirectory.appendingPathComponent("loco-one-\(UUID().uuidString).jsonl").path
                defer { unlink(one) }
                _ = try shell("head -1 \(quoted(E2E.examples)) > \(quoted(one))")
                let first = try shell("loco run \(quoted(one)) --seed 3 -o \(quoted(out))", environment: engine)
                #expect(first.status <= 1, "\(first.stderr)")
                let before = try Data(contentsOf: URL(fileURLWithPath: out))
                let r = try shell("loco run \(quoted(E2E.examples)) --seed 3 --resume \(quoted(out))", environment: engine)
                #expect(r.status == 2, "\(r.stderr)")
                #expect(r.stderr.contains("stopped: \(out) is as it was"), "\(r.stderr)")
                #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before)
                #expect(!FileManager.default.fileExists(atPath: out + ".resume-tmp"))
            }
        }
    }
}
