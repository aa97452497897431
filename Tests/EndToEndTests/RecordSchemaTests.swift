import Foundation
import Testing

/// The record contract is docs/record.schema.json: every tool's output, error records included,
/// validates against it, and every field a tool adds is one the schema describes
/// (Fixtures/validate_records.py closes the schema's objects to other fields).
extension RealEngine {
    @Suite struct RecordSchemaTests {
        let engine = ["LOCO_BACKEND": "llama-server", "LOCO_URL": E2E.engineURL ?? ""]

        func validate(_ input: String, _ outputs: [String]) throws {
            let script = E2E.root.appendingPathComponent("Tests/EndToEndTests/Fixtures/validate_records.py").path
            let r = try shell("python3 \(quoted(script)) docs/record.schema.json \(quoted(input)) " + outputs.map(quoted).joined(separator: " "))
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        }

        @Test func everyToolsOutputFollowsTheSchema() throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-schema-\(UUID())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            func file(_ name: String) -> String { dir.appendingPathComponent(name).path }
            // The examples, a code item with tests, a labelled item, a bad line, a record without a
            // query, and a user's own field: each stage's output, and errors, travel through every stage.
            let extra = [
                #"{"id":"code","query":"Write a Python function add(a, b) that returns a + b.","adapter":"code-python","tests":["assert add(1, 2) == 3"]}"#,
                #"{"id":"label","query":"Is this review positive or negative? A warm, funny film.","expected":"positive","labels":["positive","negative"],"course":"ISYS6020"}"#,
                "this is not json",
                #"{"id":"no-query","mine":1}"#,
            ]
            let input = try String(contentsOfFile: E2E.examples, encoding: .utf8) + extra.joined(separator: "\n") + "\n"
            try input.write(toFile: file("in.jsonl"), atomically: true, encoding: .utf8)
            let stages = [
                ("route.jsonl", "loco-route --explain < \(quoted(file("in.jsonl")))"),
                ("prompt.jsonl", "loco-prompt < \(quoted(file("route.jsonl")))"),
                ("gen.jsonl", "loco-gen --samples 3 --temperature 0.5 --seed 1 --max-tokens 24 --early-stop < \(quoted(file("prompt.jsonl")))"),
                ("vote.jsonl", "loco-vote < \(quoted(file("gen.jsonl")))"),
                ("score.jsonl", "loco-score < \(quoted(file("vote.jsonl")))"),
            ]
            for (output, command) in stages {
                let r = try shell("\(command) > \(quoted(file(output)))", environment: engine)
                #expect(r.status == 1, "the bad lines are errors: \(output) \(r.stderr)")
                let lines = try String(contentsOfFile: file(output), encoding: .utf8).split(separator: "\n")
                #expect(lines.count == 16, "\(output): one record per input line")
                #expect(lines.filter { $0.contains(#""error":{"#) }.count == 2, "\(output)")
            }
            let query = try shell("loco-query 'What is 6 * 7?' --json --no-log --votes 3 --max-tokens 24 --seed 1 > \(quoted(file("query.jsonl")))", environment: engine)
            #expect(query.status == 0, "\(query.stderr)")
            try validate(file("in.jsonl"), stages.map { file($0.0) } + [file("query.jsonl")])
        }

        @Test func theCheckCatchesAFieldTheSchemaDoesNotDescribe() throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-schema-\(UUID())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let input = dir.appendingPathComponent("in.jsonl").path, output = dir.appendingPathComponent("out.jsonl").path
            try #"{"query":"q","mine":1}"#.appending("\n").write(toFile: input, atomically: true, encoding: .utf8)
            try #"{"query":"q","mine":1,"route":{"router":"keyword","scores":{},"confidence":0.5,"surprise":true},"invented":2}"#.appending("\n")
                .write(toFile: output, atomically: true, encoding: .utf8)
            let script = E2E.root.appendingPathComponent("Tests/EndToEndTests/Fixtures/validate_records.py").path
            let r = try shell("python3 \(quoted(script)) docs/record.schema.json \(quoted(input)) \(quoted(output))")
            #expect(r.status == 1)
            #expect(r.stdout.contains("route: Additional properties are not allowed ('surprise' was unexpected)"), "\(r.stdout)")
            #expect(r.stdout.contains("(record): Additional properties are not allowed ('invented' was unexpected)"), "\(r.stdout)")
        }
    }
}

/// Voting and scoring on samples written by hand, no engine: every format and metric, code run
/// in the sandbox, each record checked against the schema.
@Suite struct RecordSchemaWithoutEngineTests {
    static func record(_ fields: [String: Any], samples texts: [String]) throws -> String {
        var record = fields
        record["samples"] = texts.map { ["text": $0, "tokens": 3, "ms": 1, "done_reason": "stop"] }
        return String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func everyFormatAndMetricFollowsTheSchema() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-schema-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func file(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let good = "```python\ndef add(a, b):\n    return a + b\n```", bad = "def add(a, b):\n    return a - b"
        let tests = ["assert add(1, 2) == 3"]
        let cases: [(format: String, record: String)] = [
            // The question shows its test, so the vote may run it; the scorer's `tests` are the same.
            ("code", try Self.record(["id": "code", "query": "Write add.\n" + tests[0], "tests": tests], samples: [bad, good, good])),
            ("code", try Self.record(["id": "none-pass", "query": "Write add.\n" + tests[0], "tests": tests], samples: [bad, "no code here"])),
            ("number", try Self.record(["id": "n", "expected": "84"], samples: ["The answer is 84.", "84", "86"])),
            ("choice", try Self.record(["id": "c", "expected": "B", "choices": ["red", "blue"]], samples: ["B", "The answer is B"])),
            ("label", try Self.record(["id": "l", "expected": "positive", "labels": ["positive", "negative"]], samples: ["positive"])),
            ("text", try Self.record(["id": "t", "expected": "A study of small models"], samples: ["A study of small models", "Small models, studied"])),
        ]
        for (index, item) in cases.enumerated() {
            try (item.record + "\n").write(toFile: file("in-\(index).jsonl"), atomically: true, encoding: .utf8)
            let voted = try shell("loco-vote --format \(item.format) < \(quoted(file("in-\(index).jsonl"))) > \(quoted(file("vote-\(index).jsonl")))", timeout: 120)
            #expect(voted.status == 0, "\(item.format): \(voted.stderr)")
        }
        let codeVote = try String(contentsOfFile: file("vote-0.jsonl"), encoding: .utf8)
        #expect(codeVote.contains(#""tests_passed":[0,1,1]"#) && codeVote.contains(#""method":"tests-passed""#), "\(codeVote)")
        let metrics = [(0, "pass@1"), (0, "pass@k --k 2"), (2, "numeric_match"), (3, "exact_match"), (4, "classification"), (5, "rouge_l"), (5, "token_f1")]
        var outputs = (0..<cases.count).map { file("vote-\($0).jsonl") }
        for (index, metric) in metrics {
            let out = file("score-\(outputs.count).jsonl")
            let scored = try shell("loco-score --metric \(metric) < \(quoted(file("vote-\(index).jsonl"))) > \(quoted(out)) 2>/dev/null", timeout: 120)
            #expect(scored.status == 0, "\(metric)")
            outputs.append(out)
        }
        let all = file("in-all.jsonl")
        try cases.map { $0.record + "\n" }.joined().write(toFile: all, atomically: true, encoding: .utf8)
        let script = E2E.root.appendingPathComponent("Tests/EndToEndTests/Fixtures/validate_records.py").path
        let r = try shell("python3 \(quoted(script)) docs/record.schema.json \(quoted(all)) " + outputs.map(quoted).joined(separator: " "))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }
}
