import Foundation
import Testing
import LocoTestSupport

/// Ctrl-C mid-run keeps every finished record, and --resume finishes the file so that it holds
/// what an uninterrupted run would. Against the real llama-server, temperature 0, a fixed seed.
extension RealEngine {
    @Suite struct InterruptionTests {
        let engine = ["LOCO_BACKEND": "llama-server", "LOCO_URL": E2E.engineURL ?? "", "LOCO_MAX_TOKENS": "40"]
        let dir: URL

        init() throws {
            dir = try ScratchDirectory.make("loco-interrupt")
        }

        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

        /// Starts `command` in a process group of its own, waits until `file` has `lines` lines, then sends
        /// SIGINT to the whole group, as Ctrl-C in a terminal does. Returns the exit status.
        func interrupt(_ command: String, whenFile file: String, has lines: Int) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-o", "pipefail", "-c", command]
            var env = ProcessInfo.processInfo.environment
            env["PATH"] = "\(E2E.bin):\(E2E.root.appendingPathComponent("bin").path):" + (env["PATH"] ?? "")
            env["LOCO_BIN"] = E2E.bin
            for (k, v) in engine { env[k] = v }
            process.environment = env
            process.currentDirectoryURL = E2E.root
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
                if text.filter({ $0 == "\n" }).count >= lines { break }
                usleep(50_000)
            }
            // Foundation starts each child in a process group of its own, as a shell does a job.
            let group = process.processIdentifier
            #expect(getpgid(group) == group)
            kill(-group, SIGINT)
            let stop = Date().addingTimeInterval(30)
            while process.isRunning && Date() < stop { usleep(50_000) }
            #expect(!process.isRunning, "the run did not stop within 30 s of Ctrl-C")
            process.waitUntilExit()
            return process.terminationStatus
        }

        /// An abandoned request may still run in its slot for a moment; a request batched beside it
        /// can differ in the last bits of its arithmetic, so the comparison waits for an idle engine
        /// (up to a minute: on a loaded machine the abandoned request takes its time to finish).
        func waitForIdleEngine() throws {
            for _ in 0..<600 {
                let r = try shell("curl -sf \(E2E.engineURL!)/slots | jq '[.[] | select(.is_processing)] | length'")
                if r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0" { return }
                usleep(100_000)
            }
            Issue.record("the engine stayed busy for a minute after the interrupt")
        }

        func lines(_ file: String) throws -> [String] {
            try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        }

        /// What loco-gen and loco run control: which records, in which order, complete. The text
        /// itself is the engine's, and llama-server's prompt cache makes a repeated greedy request
        /// differ now and then in its last bits, so two runs are compared without it.
        func skeleton(_ file: String) throws -> [String] {
            try lines(file).map { line in
                var record = try jsonObject(line)
                #expect(record["error"] == nil, "\(line)")
                #expect((record["samples"] as? [Any])?.isEmpty == false)
                // What the sampled text decides, a program answer's runs among it.
                for key in ["samples", "answers", "answer", "votes", "agreement", "score", "runs"] { record.removeValue(forKey: key) }
                return String(data: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), encoding: .utf8)!
            }
        }

        @Test func locoGenInterruptedThenResumedEqualsAnUninterruptedRun() throws {
            let input = path("in.jsonl")
            try String(contentsOfFile: E2E.examples, encoding: .utf8).write(toFile: input, atomically: true, encoding: .utf8)
            let prompted = path("prompted.jsonl")
            #expect(try shell("loco-prompt < \(quoted(input)) > \(quoted(prompted))").status == 0)
            let gen = "loco-gen --seed 11 --max-tokens 40"
            let full = path("full.jsonl"), partial = path("partial.jsonl")
            #expect(try shell("\(gen) < \(quoted(prompted)) > \(quoted(full))", environment: engine).status == 0)

            let status = try interrupt("\(gen) < \(quoted(prompted)) > \(quoted(partial))", whenFile: partial, has: 3)
            #expect(status == 130)
            let kept = try lines(partial)
            #expect(kept.count >= 3 && kept.count < 12, "interrupted after \(kept.count) records")
            #expect(try skeleton(partial) == Array(try skeleton(full).prefix(kept.count)), "every finished record, complete and in order")
            try waitForIdleEngine()

            let resumed = try shell("\(gen) --resume \(quoted(partial)) < \(quoted(prompted))", environment: engine)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stdout.isEmpty)
            #expect(resumed.stderr.contains("resuming \(partial): \(kept.count) records done"))
            #expect(Array(try lines(partial).prefix(kept.count)) == kept, "finished records are left as they were")
            #expect(try skeleton(partial) == skeleton(full))
        }

        @Test func locoRunInterruptedThenResumedEqualsAnUninterruptedRun() throws {
            let full = path("run-full.jsonl"), partial = path("run-partial.jsonl")
            let run = "loco run \(quoted(E2E.examples)) --seed 4"
            // 0, or 1 when an answer was wrong (the tiny model gets some wrong): never an error.
            #expect(try shell("\(run) -o \(quoted(full))", environment: engine).status <= 1)
            let status = try interrupt("\(run) -o \(quoted(partial))", whenFile: partial, has: 2)
            #expect(status == 130)
            let kept = try lines(partial)
            try waitForIdleEngine()
            let resumed = try shell("\(run) --resume \(quoted(partial))", environment: engine)
            #expect(resumed.status <= 1, "\(resumed.stderr)")
            #expect(resumed.stdout.contains("12 records, 0 errors"))
            #expect(Array(try lines(partial).prefix(kept.count)) == kept)
            #expect(try skeleton(partial) == skeleton(full))
        }

        /// The cases the bash `loco run --resume` got wrong: records without ids, ids that repeat,
        /// and an error record in the middle, which must end in its place.
        @Test func locoRunResumeKeepsEveryRecordOnceInInputOrder() throws {
            let input = path("resume-in.jsonl"), out = path("resume-out.jsonl"), full = path("resume-full.jsonl")
            let records = [#"{"query":"What is 1 + 1?"}"#, #"{"query":"What is 2 + 2?"}"#, #"{"id":"a","query":"What is 3 + 3?"}"#,
                           #"{"id":"a","query":"What is 4 + 4?"}"#, #"{"query":"What is 5 + 5?"}"#, #"{"id":7,"query":"What is 6 + 6?"}"#]
            try (records.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
            let run = "loco run \(quoted(input)) --seed 2"
            #expect(try shell("\(run) -o \(quoted(full))", environment: engine).status <= 1)
            let finished = try lines(full)
            #expect(finished.count == 6)
            // As an interrupted run with a failed record would leave it: lines 1-4 done, line 2 an error, line 5 torn.
            var partial = Array(finished.prefix(4))
            partial[1] = #"{"query":"What is 2 + 2?","error":{"stage":"loco-gen","message":"engine went away","line":2}}"#
            try (partial.joined(separator: "\n") + "\n" + #"{"query":"What is 5"#).write(toFile: out, atomically: true, encoding: .utf8)
            let resumed = try shell("\(run) --resume \(quoted(out))", environment: engine)
            #expect(resumed.status <= 1, "\(resumed.stderr)")
            #expect(resumed.stderr.contains("resuming \(out): 3 records done, 2 error or torn lines removed to run again"), "\(resumed.stderr)")
            let after = try lines(out)
            #expect(after.count == 6, "each input record once: \(after.count)")
            #expect(try skeleton(out) == skeleton(full), "in input order, as an uninterrupted run")
            #expect([after[0], after[2], after[3]] == [finished[0], finished[2], finished[3]], "finished records are kept as they were")
            #expect(!FileManager.default.fileExists(atPath: out + ".resume-tmp"))
            // Resuming a finished run runs nothing and changes nothing.
            let again = try shell("\(run) --resume \(quoted(out))", environment: engine)
            #expect(again.stderr.contains("6 records done"))
            #expect(try lines(out) == after)
        }

        @Test func resumeRunsErrorRecordsAgainAndDropsATornLine() throws {
            let prompted = path("p.jsonl"), out = path("out.jsonl")
            try (#"{"id":"a","prompt":"Q: 1+1?\nA:"}"# + "\n" + #"{"id":"b","prompt":"Q: 2+2?\nA:"}"# + "\n")
                .write(toFile: prompted, atomically: true, encoding: .utf8)
            let good = try shell("head -1 \(quoted(prompted)) | loco-gen --max-tokens 4 --seed 1", environment: engine)
            try (good.stdout + #"{"id":"b","error":{"stage":"loco-gen","message":"down","line":2}}"# + "\n" + #"{"id":"c","sam"#)
                .write(toFile: out, atomically: true, encoding: .utf8)
            let r = try shell("loco-gen --max-tokens 4 --seed 1 --resume \(quoted(out)) < \(quoted(prompted))", environment: engine)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("1 records done, 2 error or torn lines removed"))
            let ids = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { try jsonObject(String($0))["id"] as? String }
            #expect(ids == ["a", "b"])
        }
    }
}

@Suite struct ClosedPipeTests {
    @Test(arguments: ["loco-route", "loco-prompt", "loco-vote", "loco-score"])
    func anEarlyClosedPipeEndsQuietly(stage: String) throws {
        let line = #"{"query":"calculate 2+2","samples":[{"text":"4"}],"answer":"4","expected":"4"}"#
        let r = try shell("yes \(quoted(line)) | head -200000 | \(stage) | head -1; echo \"status=${PIPESTATUS[2]}\" >&2", timeout: 60)
        // Killed by SIGPIPE (141) or a clean 0, as Unix tools end; never a message.
        #expect(r.stderr == "status=141\n" || r.stderr == "status=0\n", "\(r.stderr)")
        #expect(r.lines.count == 1)
    }
}
