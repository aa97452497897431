import Foundation
import Testing
import LocoTestSupport

/// The built executables in real pipes against a real llama-server running the packaged
/// Gemma 3 270M model (scripts/test.sh starts it and sets LOCO_TEST_URL).
extension RealEngine {
    @Suite struct PipelineTests {
        let engine = ["LOCO_BACKEND": "llama-server", "LOCO_URL": E2E.engineURL ?? ""]

        @Test func fullPipelineOverTheExamples() throws {
            let summary = FileManager.default.temporaryDirectory.appendingPathComponent("loco-summary-\(UUID()).json").path
            defer { try? FileManager.default.removeItem(atPath: summary) }
            let r = try shell("""
                loco-route < \(quoted(E2E.examples)) | loco-prompt | loco-gen --seed 42 --max-tokens 48 \
                  | loco-vote | loco-score --summary \(quoted(summary))
                """, environment: engine)
            #expect(r.status == 0, "stderr: \(r.stderr)")
            let input = try String(contentsOfFile: E2E.examples, encoding: .utf8).split(separator: "\n")
            #expect(r.lines.count == input.count)
            // Greedy answers depend on the engine's prompt cache (a cached prefix is evaluated in other
            // batches, with other rounding), so a sample may state no answer: the field is still there.
            // A program answer (math-reasoning, arithmetic) that fails to run has none, and its run says why.
            var answered = 0
            for (line, original) in zip(r.lines, input) {
                let record = try jsonObject(line)
                if record["answer"] is String || (record["runs"] as? [[String: Any]])?.first?["ended"] is String { answered += 1 }
                let source = try jsonObject(String(original))
                #expect(record["id"] as? String == source["id"] as? String, "order kept")
                #expect(record["source"] as? String == source["source"] as? String, "unknown fields kept")
                #expect(record["backend"] as? String == "llama-server")
                #expect((record["model"] as? String ?? "").contains("gemma"), "model: \(record["model"] ?? "nil")")
                let samples = try #require(record["samples"] as? [[String: Any]])
                #expect(samples.count == 1)
                #expect((samples[0]["tokens"] as? Int ?? 0) > 0)
                #expect(["stop", "length"].contains(samples[0]["done_reason"] as? String ?? ""))
                #expect(record["answer"] is String || record["answer"] is NSNull)
                #expect(record["score"] is [String: Any])
                #expect(record["strategy"] as? [String] == ["re2"])
            }
            #expect(answered >= input.count - 2, "\(answered) of \(input.count) records have an answer or a program run")
            let figures = try jsonObject(try String(contentsOfFile: summary, encoding: .utf8))
            #expect(figures["n"] as? Int == input.count)
            #expect(figures["scored"] as? Int == input.count)
            #expect(figures["errors"] as? Int == 0)
            #expect(r.stderr.contains("loco-score: n=\(input.count) scored=\(input.count)"))
        }

        /// What loco-gen sends for a record without an adapter: every LoRA the engine loaded, at 0
        /// (a request that leaves the list out is computed differently once LoRAs are loaded).
        func loadedLoRAsOff() throws -> [[String: Int]] {
            let r = try shell("curl -sf \(E2E.engineURL!)/lora-adapters | jq -c '[.[] | {id, scale: 0}]'")
            return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Int]])
        }

        func texts(_ json: String) throws -> [String] {
            let record = try jsonObject(json)
            return try #require(record["samples"] as? [[String: Any]]).map { $0["text"] as? String ?? "" }
        }

        @Test func generationIsTheEnginesOwnAnswer() throws {
            // What loco-gen sends is the request a user would write with curl, and the text it writes is
            // the engine's answer to that very request: loco-gen adds nothing and loses nothing.
            let proxy = try RecordingProxy()
            let prompt = "Q: What is the capital of France?\nRead the question again: What is the capital of France?\nA:"
            let record = try String(data: JSONSerialization.data(withJSONObject: ["prompt": prompt]), encoding: .utf8)!
            let ours = try shell("echo \(quoted(record)) | loco-gen --url \(proxy.url) --seed 3 --max-tokens 24 | jq -r '.samples[0].text'", environment: engine)
            #expect(ours.status == 0, "stderr: \(ours.stderr)")
            let sent = try proxy.generationRequests()
            #expect(sent.count == 1)
            let body = try #require(sent.first)
            #expect(body["prompt"] as? String == prompt)
            #expect(body["n_predict"] as? Int == 24 && body["temperature"] as? Double == 0 && body["seed"] as? Int == 3)
            #expect(body["cache_prompt"] as? Bool == true)
            #expect(body["lora"] as? [[String: Int]] == (try loadedLoRAsOff()))
            let answer = try #require(try proxy.answers().first)
            #expect(!answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
            #expect(ours.stdout == answer + "\n")
        }

        @Test func severalSeededSamplesAreOneSeededRequestAndItsAnswers() throws {
            // Sent twice, the same seeded request: whether the engine then answers alike is the
            // engine's business (its prompt cache can change the last bits), so each run's samples
            // are checked against the engine's answer to that run's request.
            let proxy = try RecordingProxy()
            let cmd = #"echo '{"query":"Name a colour."}' | loco-prompt | loco-gen --url \#(proxy.url) --samples 3 --temperature 0.9 --seed 7 --max-tokens 16 | loco-vote"#
            let first = try shell(cmd, environment: engine)
            let firstAnswers = try proxy.answers()
            let second = try shell(cmd, environment: engine)
            #expect(first.status == 0 && second.status == 0, "stderr: \(first.stderr)\(second.stderr)")
            let sent = try proxy.generationRequests()
            #expect(sent.count == 2, "one request of three completions a run")
            #expect(sent.allSatisfy { $0["n_cmpl"] as? Int == 3 && $0["seed"] as? Int == 7 && $0["temperature"] as? Double == 0.9 })
            #expect(try canonical(sent[0]) == canonical(sent[1]), "the same request both times")
            #expect(try texts(first.stdout) == firstAnswers)
            #expect(try texts(second.stdout) == Array(try proxy.answers().suffix(3)))
            let record = try jsonObject(first.stdout)
            #expect((record["answers"] as? [String])?.count == 3)
            let votes = try #require(record["votes"] as? [String: Int])
            #expect(votes.values.reduce(0, +) == 3)
        }

        /// --temperature means one thing in every tool that generates: without it, one sample is
        /// greedy and several are drawn at 0.3; asked for (flag or LOCO_TEMPERATURE), it is every
        /// sample's. What the engine is sent says so.
        @Test func aTemperatureMeansTheSameInEveryToolThatGenerates() throws {
            let proxy = try RecordingProxy()
            let record = #"echo '{"prompt":"Q: Name a fruit.\nA:"}' | "#
            let query = "loco-query 'Name a fruit.' --adapter none --no-log --url \(proxy.url) --max-tokens 4"
            let cases: [(command: String, environment: [String: String], temperature: Double)] = [
                (record + "loco-gen --url \(proxy.url) --max-tokens 4", [:], 0),
                (record + "loco-gen --url \(proxy.url) --max-tokens 4 --samples 3", [:], 0.3),
                (record + "loco-gen --url \(proxy.url) --max-tokens 4", ["LOCO_TEMPERATURE": "0.6"], 0.6),
                (query, [:], 0),
                (query + " --votes 3 --no-early-stop", [:], 0.3),
                (query + " --temperature 0.6", [:], 0.6),
            ]
            for (command, environment, temperature) in cases {
                let before = try proxy.generationRequests().count
                let r = try shell(command, environment: engine.merging(environment) { $1 })
                #expect(r.status == 0, "\(command): \(r.stderr)")
                let sent = try proxy.generationRequests().dropFirst(before)
                #expect(!sent.isEmpty && sent.allSatisfy { ($0["temperature"] as? NSNumber)?.doubleValue == temperature },
                        "\(command) \(environment): \(sent.map { $0["temperature"] ?? "none" })")
            }
        }

        @Test func severalSamplesAreOneBatchedRequestInChunksOfTheServersSlots() throws {
            // The test engine runs 5 slots: 7 samples are n_cmpl 5 (seeds 2..6), then n_cmpl 2 (seeds 7, 8).
            let proxy = try RecordingProxy()
            let record = try String(data: JSONSerialization.data(withJSONObject: ["prompt": "Q: Name a fruit.\nA:"]), encoding: .utf8)!
            let ours = try shell("echo \(quoted(record)) | loco-gen --url \(proxy.url) --samples 7 --temperature 0.9 --seed 2 --max-tokens 12", environment: engine)
            #expect(ours.status == 0, "\(ours.stderr)")
            let sent = try proxy.generationRequests()
            #expect(sent.map { [$0["seed"] as? Int ?? -1, $0["n_cmpl"] as? Int ?? -1] } == [[2, 5], [7, 2]])
            #expect(sent.allSatisfy { $0["lora"] as? [[String: Int]] == (try? loadedLoRAsOff()) })
            #expect(try texts(ours.stdout) == proxy.answers())
            let sampling = try #require(try jsonObject(ours.stdout)["sampling"] as? [String: Any])
            #expect(sampling["requested"] as? Int == 7 && sampling["drawn"] as? Int == 7 && sampling["early_stop"] as? Bool == false)
        }

        @Test func earlyStopAtTemperatureZeroDrawsAMajorityOnly() throws {
            let cmd = #"echo '{"prompt":"Q: What is 2+2?\nA:"}' | loco-gen --samples 5 --temperature 0 --max-tokens 8 --early-stop --format text"#
            let r = try shell(cmd, environment: engine)
            #expect(r.status == 0, "\(r.stderr)")
            let record = try jsonObject(r.stdout)
            let sampling = try #require(record["sampling"] as? [String: Any])
            #expect(sampling["requested"] as? Int == 5 && sampling["drawn"] as? Int == 3 && sampling["early_stop"] as? Bool == true)
            #expect(Set(try texts(r.stdout)).count == 1)
        }

        @Test func theBetaRuleAtTemperatureZeroStopsAfterTwoAgreeingSamples() throws {
            let cmd = #"echo '{"prompt":"Q: What is 2+2?\nA:"}' | loco-gen --samples 5 --temperature 0 --max-tokens 8 --stop-confidence 0.85 --format text"#
            let r = try shell(cmd, environment: engine)
            #expect(r.status == 0, "\(r.stderr)")
            let sampling = try #require(try jsonObject(r.stdout)["sampling"] as? [String: Any])
            #expect(sampling["requested"] as? Int == 5 && sampling["drawn"] as? Int == 2 && sampling["early_stop"] as? Bool == true)
            #expect(sampling["stop_confidence"] as? Double == 0.85)
            // 0.9 is more than two agreeing samples give (0.875): a majority first, as without it.
            let stricter = try shell(cmd.replacingOccurrences(of: "0.85", with: "0.9"), environment: engine)
            #expect((try jsonObject(stricter.stdout)["sampling"] as? [String: Any])?["drawn"] as? Int == 3)
            let bad = try shell(#"echo '{}' | loco-gen --samples 5 --stop-confidence 0.5"#)
            #expect(bad.status == 2 && bad.stderr.hasPrefix("loco-gen: --stop-confidence must be above 0.5 and below 1"), "\(bad.stderr)")
        }

        @Test func badLinesFlowThroughEveryStageAsErrorRecords() throws {
            let input = #"{"id":"a","query":"What is 2+2?","expected":"4"}"# + "\nthis is not json\n" + #"{"id":"c"}"# + "\n"
            let r = try shell("printf %s \(quoted(input)) | loco-route | loco-prompt | loco-gen --max-tokens 8 | loco-vote | loco-score",
                              environment: engine)
            #expect(r.status == 1)
            #expect(r.lines.count == 3)
            let good = try jsonObject(r.lines[0])
            #expect(good["error"] == nil)
            #expect(good["answer"] is String)
            let bad = try jsonObject(r.lines[1])
            let error = try #require(bad["error"] as? [String: Any])
            #expect(error["stage"] as? String == "loco-route")
            #expect(error["line"] as? Int == 2)
            #expect(bad["raw"] as? String == "this is not json")
            let missing = try #require(try jsonObject(r.lines[2])["error"] as? [String: Any])
            #expect(missing["field"] as? String == "query")
            #expect(missing["line"] as? Int == 3)
            #expect(r.stderr.contains("loco-route: line 2: invalid JSON at column 1"))
            #expect(r.stderr.contains("loco-route: line 3: missing field 'query'"))
        }

        @Test func locoQueryPrintsAnAnswer() throws {
            let r = try shell("loco query 'What is 9 + 5?' --seed 1", environment: engine.merging(["LOCO_MAX_TOKENS": "32"]) { $1 })
            #expect(r.status == 0, "stderr: \(r.stderr)")
            #expect(r.stdout.hasPrefix("[arithmetic] "), "the classifier router sends arithmetic to its LoRA: \(r.stdout)")
            #expect(r.stdout.contains("Answer: "))
        }

        /// With no engine named, `loco query` takes loco's own running server (scripts/test.sh
        /// started it with `loco engine start`) over an Ollama that answers, and Ollama when no
        /// server of loco's runs on the port.
        @Test func aQueryKeepsToLocosOwnRunningEngineBeforeOllama() throws {
            let log = ScratchDirectory.file("own-engine-ollama", suffix: ".jsonl").path
            let ollama = try PythonFixture("fake_ollama.py", arguments: [log])
            let user = ["OLLAMA_HOST": "127.0.0.1:\(ollama.port)", "LOCO_BACKEND": "", "LOCO_URL": "", "LOCO_MAX_TOKENS": "16"]
            let status = try shell("loco engine status")
            #expect(status.stdout.contains("llama-server answers at \(E2E.engineURL ?? "") (loco's own, pid "), "\(status.stdout)")
            let own = try shell("loco query 'What is 9 + 5?' --seed 1 --json", environment: user)
            #expect(own.status == 0, "stderr: \(own.stderr)")
            #expect(try jsonObject(own.stdout)["backend"] as? String == "llama-server")
            #expect(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").isEmpty, "Ollama was asked to generate")
            let none = try shell("loco query 'What is 9 + 5?' --seed 1 --json", environment: user.merging(["LOCO_LLAMA_PORT": "9"]) { $1 })
            #expect(try String(contentsOfFile: log, encoding: .utf8).contains(#""path": "/api/"#), "Ollama was not asked: \(none.stderr)")
        }

        /// The arithmetic adapter answers with a program: the answer is what the sandbox printed,
        /// and with early stop loco-gen's runs are the ones loco-vote counted.
        @Test func aProgramAnswerIsWhatItsProgramPrinted() throws {
            let env = engine.merging(["LOCO_MAX_TOKENS": "32"]) { $1 }
            let one = try shell("loco query \"what's 312 + 82?\" --seed 1 --json", environment: env)
            #expect(one.status == 0, "stderr: \(one.stderr)")
            let record = try jsonObject(one.stdout)
            #expect(record["adapter"] as? String == "arithmetic" && (record["voting"] as? [String: Any])?["format"] as? String == "program")
            let runs = try #require(record["runs"] as? [[String: Any]])
            #expect(runs.count == 1 && (runs[0]["program"] as? String)?.contains("print") == true, "\(runs)")
            if runs[0]["ended"] as? String == "ok" {
                let printed = (runs[0]["output"] as? String ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(Double(record["answer"] as? String ?? "") == Double(printed.split(separator: "\n").last.map(String.init) ?? ""), "\(record)")
            } else {
                #expect(record["answer"] is NSNull, "a failed program gives no answer: \(runs[0])")
            }
            let voted = try jsonObject(try shell("loco query \"what's 312 + 82?\" --votes 5 --seed 1 --json", environment: env).stdout)
            let samples = try #require(voted["samples"] as? [[String: Any]])
            let kept = samples.compactMap { $0["run"] as? [String: Any] }
            #expect(kept.count == samples.count, "with early stop every sample carries the run loco-gen made")
            #expect((voted["runs"] as? [[String: Any]])?.map { $0["output"] as? String } == kept.map { $0["output"] as? String })
            let human = try shell("loco query \"what's 312 + 82?\" --seed 1", environment: env)
            #expect(human.stdout.hasPrefix("[arithmetic] ") && human.stdout.contains("Answer: "), "\(human.stdout)")
        }

        @Test func locoQueryWithVotesAndAForcedAdapter() throws {
            let r = try shell("loco query 'What is 9 + 5?' --votes 3 --adapter math-reasoning --seed 1 --json",
                              environment: engine.merging(["LOCO_MAX_TOKENS": "24"]) { $1 })
            #expect(r.status == 0, "stderr: \(r.stderr)")
            let record = try jsonObject(r.stdout)
            #expect(record["adapter"] as? String == "math-reasoning")
            // Up to 3: voting stops early once the samples drawn agree (the math LoRA answers alike).
            #expect((2...3).contains((record["samples"] as? [Any])?.count ?? 0), "\(r.stdout)")
            #expect(record["agreement"] is Double || record["agreement"] is Int)
        }

        /// loco-query chains the stages in one process; it must send the engine what the pipe sends,
        /// and build its record from the answers exactly as the pipe's stages do.
        @Test func oneProcessWritesTheRecordThePipeWrites() throws {
            let question = quoted(#"{"query":"What is 12 * 7?"}"#)
            // Everything but what the sampled text decides (how many samples an early stop drew).
            let settled = "jq -cS 'del(.samples, .answers, .answer, .votes, .agreement, .sampling.drawn, .sampling.early_stop)'"
            for flags in ["", " --votes 3"] {
                let gen = "--max-tokens 24 --seed 3" + (flags.isEmpty ? "" : " --samples 3 --temperature 0.3 --early-stop")
                let pipeEngine = try RecordingProxy(), queryEngine = try RecordingProxy()
                let piped = try shell("echo \(question) | loco-route | loco-prompt | loco-gen --url \(pipeEngine.url) \(gen) | loco-vote", environment: engine)
                let single = try shell("loco-query 'What is 12 * 7?' --json --no-log --url \(queryEngine.url) --max-tokens 24 --seed 3\(flags)", environment: engine)
                #expect(piped.status == 0 && single.status == 0, "\(piped.stderr)\(single.stderr)")
                #expect(single.stdout.contains("\"answer\":"))
                let first = try #require(try queryEngine.generationRequests().first), pipeFirst = try #require(try pipeEngine.generationRequests().first)
                #expect(try canonical(first) == canonical(pipeFirst), "loco-query\(flags) sends what the pipe sends")
                #expect(try texts(single.stdout) == queryEngine.answers(), "its samples are the engine's answers")
                let settledSingle = try shell("echo \(quoted(single.stdout)) | \(settled)"), settledPipe = try shell("echo \(quoted(piped.stdout)) | \(settled)")
                #expect(settledSingle.stdout == settledPipe.stdout, "loco-query\(flags) against the pipe")
                // Its vote is loco-vote's on the same samples.
                let revoted = try shell("echo \(quoted(single.stdout)) | jq -c 'del(.answers, .answer, .votes, .agreement, .voting)' | loco-vote | jq -cS .")
                #expect(revoted.stdout == (try shell("echo \(quoted(single.stdout)) | jq -cS .")).stdout, "loco-query\(flags) votes as loco-vote does")
            }
        }

        @Test func aQueryThatCannotBeAnsweredIsOneLineAndAStatus() throws {
            let unknown = try shell("loco-query 'hi' --adapter nope", environment: engine)
            #expect(unknown.status == 2)
            #expect(unknown.stderr == "loco-query: unknown adapter 'nope': the registry has arithmetic, code-python, math-reasoning, sentiment, writing-academic\n")
            let down = try shell("loco-query 'hi' --no-log --url http://127.0.0.1:9", environment: engine, timeout: 30)
            #expect(down.status == 1)
            #expect(down.stdout.isEmpty)
            let lines = down.stderr.split(separator: "\n")
            #expect(lines.count == 2, "the hint and the error, once each: \(down.stderr)")
            #expect(lines.first?.contains("loco engine start") == true)
            #expect(lines.last == "loco: loco-gen: cannot connect to http://127.0.0.1:9/v1/models (connection refused)")
            let record = try shell("loco-query 'hi' --no-log --json --url http://127.0.0.1:9", environment: engine, timeout: 30)
            #expect(record.status == 1 && record.stderr.hasSuffix(String(lines.last ?? "") + "\n"))
            #expect(try (jsonObject(record.stdout)["error"] as? [String: Any])?["stage"] as? String == "loco-gen", "--json still prints the error record")
        }

        @Test func locoRunPrintsAnswersAndAccuracy() throws {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("loco-run-\(UUID()).jsonl").path
            defer { try? FileManager.default.removeItem(atPath: out) }
            let r = try shell("loco run \(quoted(E2E.examples)) -o \(quoted(out)) --seed 5", environment: engine.merging(["LOCO_MAX_TOKENS": "32"]) { $1 })
            let records = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { try jsonObject(String($0)) }
            #expect(records.count == 12)
            #expect(records.allSatisfy { $0["error"] == nil })
            // Exit 1 when an answer was wrong, as loco --help says; the tiny base model gets some wrong.
            let wrong = records.filter { (($0["score"] as? [String: Any])?["value"] as? Double ?? 1) < 1 }.count
            #expect(r.status == (wrong > 0 ? 1 : 0), "stderr: \(r.stderr)")
            #expect(r.stdout.contains("gsm8k-test-0\tmath-reasoning\t"))
            #expect(r.stdout.range(of: #"accuracy [0-9].[0-9][0-9] \(\d+ of 12 scored, 12 records, 0 errors, seed 5\)"#, options: .regularExpression) != nil, "\(r.stdout)")
            // A row per record, in input order, as each is done.
            let ids = r.lines.prefix(12).map { String($0.split(separator: "\t")[0]) }
            #expect(ids == records.map { $0["id"] as? String ?? "" })
            #expect(records.allSatisfy { ($0["samples"] as? [[String: Any]])?.count == 1 })
        }

        /// The flags `loco run` had as a bash pipe, each doing what it did there.
        @Test func locoRunKeepsEveryFlagItHad() throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-run-\(UUID())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try #"{"id":"q","query":"What is 7 * 8?","expected":"56"}"#.appending("\n").write(to: dir.appendingPathComponent("set.jsonl"), atomically: true, encoding: .utf8)
            let env = engine.merging(["LOCO_MAX_TOKENS": "16"]) { $1 }
            func record(_ flags: String) throws -> [String: Any] {
                let r = try shell("loco run set.jsonl \(flags) -o out.jsonl", environment: env, directory: dir.path)
                #expect(r.status <= 1, "\(flags): \(r.stderr)")
                return try jsonObject(try String(contentsOf: dir.appendingPathComponent("out.jsonl"), encoding: .utf8))
            }
            let plain = try record("--adapter none --votes 3 --no-early-stop --no-re2 --seed 2")
            #expect(plain["adapter"] is NSNull && (plain["route"] as? [String: Any])?["router"] as? String == "forced")
            #expect((plain["samples"] as? [Any])?.count == 3 && plain["strategy"] as? [String] == [])
            let sampling = try #require(plain["sampling"] as? [String: Any])
            #expect(sampling["requested"] as? Int == 3 && sampling["early_stop"] as? Bool == false)
            let sure = try record("--adapter arithmetic --votes 5 --stop-confidence 0.85 --seed 2")
            #expect(sure["adapter"] as? String == "arithmetic" && sure["lora"] as? String == "arithmetic")
            #expect((sure["sampling"] as? [String: Any])?["stop_confidence"] as? Double == 0.85)
            #expect(sure["strategy"] as? [String] == ["re2"])
        }

        @Test func locoRunDrawsASeedAndSaysWhichAndFlagsAreCheckedLikeTheTools() throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-run-\(UUID())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try #"{"id":"q","query":"What is 2 + 2?","expected":"4"}"#.appending("\n").write(to: dir.appendingPathComponent("set.jsonl"), atomically: true, encoding: .utf8)
            let r = try shell("loco run set.jsonl", environment: engine.merging(["LOCO_MAX_TOKENS": "16"]) { $1 }, directory: dir.path)
            #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
            #expect(r.stdout.range(of: #", seed \d+\) — records in set.results.jsonl"#, options: .regularExpression) != nil, "\(r.stdout)")
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("set.results.jsonl").path))
            let typo = try shell("loco run set.jsonl --vots 3", environment: engine, directory: dir.path)
            #expect(typo.status == 2)
            #expect(typo.stderr.contains("--vots") && typo.stderr.contains("--votes"), "did you mean: \(typo.stderr)")
            let help = try shell("loco run --help")
            #expect(help.status == 0 && help.stdout.contains("--resume"))
        }

        /// Each tool's --help ends with an example; run it exactly as printed.
        @Test(arguments: ["loco-route", "loco-prompt", "loco-gen", "loco-vote", "loco-score"])
        func helpExampleRuns(tool: String) throws {
            let help = try shell("\(tool) --help")
            #expect(help.status == 0)
            let lines = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            #expect(lines.count >= 2 && lines[lines.count - 2] == "EXAMPLE:", "\(tool) --help must end with its example")
            let example = try #require(lines.last)
            #expect(example.hasPrefix("echo "), "\(example)")
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-help-\(UUID())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let r = try shell(example, environment: engine, directory: dir.path)
            #expect(r.status == 0, "\(example)\n\(r.stderr)")
            #expect(!r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        }
    }
}

/// What a user sees when the engine is not there: no hang, no crash, one line of advice.
@Suite struct UnreachableEngineTests {
    @Test(arguments: ["llama-server", "ollama"])
    func refusedConnectionGivesOneLineAndErrorRecords(backend: String) throws {
        let input = #"{"id":1,"prompt":"hi","messages":[{"role":"user","content":"hi"}]}"# + "\n" + #"{"id":2,"prompt":"ho"}"# + "\n"
        let started = Date()
        let r = try shell("printf %s \(quoted(input)) | loco-gen --backend \(backend) --url http://127.0.0.1:9", timeout: 30)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(r.status == 1)
        #expect(r.lines.count == 2)
        for line in r.lines {
            let error = try #require(try jsonObject(line)["error"] as? [String: Any])
            #expect(error["stage"] as? String == "loco-gen")
            #expect((error["message"] as? String ?? "").contains("http://127.0.0.1:9"))
        }
        let advice = r.stderr.split(separator: "\n").filter { $0.contains("cannot reach") }
        #expect(advice.count == 1, "\(r.stderr)")
        #expect(advice.first?.contains("http://127.0.0.1:9") == true)
        #expect(advice.first?.contains(backend == "ollama" ? "ollama serve" : "loco engine start") == true)
    }

    @Test func toolsFindTheRegistryOfTheirCheckoutFromAnyDirectory() throws {
        let r = try shell(#"echo '{"query":"Please summarize this essay"}' | loco-route | jq -r .adapter"#,
                          environment: ["LOCO_REGISTRY": "", "LOCO_HOME": ""], directory: "/")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "writing-academic\n")
    }

    /// `bin/loco` finds its checkout however it is reached: by its path, through a symlink in
    /// another folder (a user's ~/bin), and by a bare name from its own folder. Its tools are then
    /// looked for there, which the message for a missing one names.
    @Test func locoFindsItsCheckoutThroughASymlinkOrARelativeName() throws {
        let elsewhere = try ScratchDirectory.make("loco-link")
        let link = elsewhere.appendingPathComponent("loco").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: E2E.root.appendingPathComponent("bin/loco").path)
        let expected = "loco: loco-route is not built: run 'loco setup' (or 'swift build -c release' in \(E2E.root.path))\n"
        let bare = "cd bin && LOCO_BIN=/nonexistent bash loco log"
        for command in ["LOCO_BIN=/nonexistent " + quoted(link) + " log", "LOCO_BIN=/nonexistent " + quoted(E2E.root.appendingPathComponent("bin/loco").path) + " log", bare] {
            let r = try shell(command, directory: command == bare ? E2E.root.path : elsewhere.path)
            #expect(r.status == 2, "\(command): \(r.stderr)")
            #expect(r.stderr == expected, "\(command)")
        }
    }

    @Test func aBrokenRegistryIsOneLineAndExitTwo() throws {
        let r = try shell("echo '{}' | loco-route --registry /dev/null/nope.yaml")
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("loco-route: cannot read registry /dev/null/nope.yaml"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func doctorSaysWhatIsMissing() throws {
        let r = try shell("loco doctor", environment: ["OLLAMA_HOST": "127.0.0.1:9", "LOCO_API_KEY": "sk-do-not-print"])
        #expect(r.stdout.contains("config \(FileManager.default.temporaryDirectory.path)/loco-e2e-no-config/locollm/config.yaml (none: "))
        #expect(r.stdout.contains("environment: OLLAMA_HOST=127.0.0.1:9"))
        #expect(r.stdout.contains("LOCO_API_KEY is set (not shown)") && !r.stdout.contains("sk-do-not-print"))
        #expect(r.stdout.contains("--   Ollama at http://127.0.0.1:9 (not running; the embedded engine is used)"))
        #expect(["arithmetic", "sentiment", "code-python", "math-reasoning", "writing-academic"].allSatisfy { r.stdout.contains("ok   \($0): ok, ") }, "\(r.stdout)")

        // An adapter whose registry entry has no weights is shown as answered by the base model.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let registry = try String(contentsOf: E2E.root.appendingPathComponent("adapters/registry.yaml"), encoding: .utf8)
            .replacingOccurrences(of: #"    weights: adapter\.gguf\n    weights_sha256: "[0-9a-f]{64}"\n    weights_bytes: [0-9]+"#,
                                  with: "    weights: null", options: .regularExpression)
        try registry.write(to: dir.appendingPathComponent("registry.yaml"), atomically: true, encoding: .utf8)
        let bare = try shell("loco doctor", environment: ["OLLAMA_HOST": "127.0.0.1:9", "LOCO_REGISTRY": dir.appendingPathComponent("registry.yaml").path])
        #expect(bare.stdout.contains("--   code-python: no weights yet (the base model answers with its prompt)"), "\(bare.stdout)")
        #expect(r.stdout.contains("ok   loco-chat built"))
        #expect(r.stdout.contains("ok   loco-route built"))
        #expect(r.stdout.contains("ok   sandbox for code answers (bubblewrap)"))
    }

    @Test func locoScoreChecksItsSandboxAndRunsCodeInIt() throws {
        let r = try shell("loco-score --check-sandbox")
        #expect(r.status == 0 && r.stdout.hasPrefix("ok: code answers run in bubblewrap's sandbox"), "\(r.stderr)")
        let code = #"{"id":"c","query":"q","answer":"def f():\n    return 1\n","tests":["assert f() == 1"]}"#
        let scored = try shell("echo \(quoted(code)) | loco-score --metric pass@1")
        #expect(scored.stdout.contains(#""runs":["passed"]"#), "\(scored.stdout)")
    }

    @Test func unknownBackendIsAUsageError() throws {
        let r = try shell("echo '{}' | loco-gen --backend vllm")
        #expect(r.status == 2)
        #expect(r.stderr.contains("unknown backend 'vllm'"))
    }
}
