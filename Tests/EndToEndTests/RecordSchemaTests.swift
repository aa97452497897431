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
