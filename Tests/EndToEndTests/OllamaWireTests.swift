import Foundation
import Testing
import LocoTestSupport

/// Ollama cannot run on this machine, so its wire format is checked against a small test double
/// (Fixtures/fake_ollama.py): NDJSON streams, an error line mid-stream, 404 model not found.
/// Tests that share the fake server read its request log, so they run one at a time.
@Suite(.serialized) enum FakeEngine {}

/// One fake server for the suite; it exits by itself when this test process ends (its stdin closes).
final class FakeOllama: @unchecked Sendable {
    static let shared = Result { try FakeOllama() }
    /// Answers every POST with a 500: the dead member of a pool.
    static let broken = Result { try FakeOllama(broken: true) }

    let fixture: PythonFixture
    var port: Int { fixture.port }
    let log = ScratchDirectory.file("fake-ollama", suffix: ".jsonl").path

    private init(broken: Bool = false) throws {
        fixture = try PythonFixture("fake_ollama.py", arguments: [log] + (broken ? ["broken"] : []))
    }
}

extension FakeEngine {
    @Suite struct OllamaWireTests {
        let port: Int
        let log: String

        init() throws {
            let server = try FakeOllama.shared.get()
            port = server.port
            log = server.log
        }

        var url: String { "http://127.0.0.1:\(port)" }

        @Test func chatStreamIsJoinedAndItsFinalChunkRead() throws {
            let input = #"{"id":"x","messages":[{"role":"system","content":"S"},{"role":"user","content":"Q"}]}"#
            let r = try shell("echo \(quoted(input)) | loco-gen --url \(url) --model ok-model --seed 9 --temperature 0.5 --max-tokens 7")
            #expect(r.status == 0, "\(r.stderr)")
            let record = try jsonObject(r.stdout)
            #expect(record["backend"] as? String == "ollama")
            #expect(record["model"] as? String == "ok-model")
            let sample = try #require((record["samples"] as? [[String: Any]])?.first)
            #expect(sample["text"] as? String == "Hello world!")
            #expect(sample["tokens"] as? Int == 3)
            #expect(sample["done_reason"] as? String == "stop")
            let sent = try jsonObject(try #require(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").last.map(String.init)))
            #expect(sent["path"] as? String == "/api/chat")
            let body = try #require(sent["body"] as? [String: Any])
            #expect(body["stream"] as? Bool == true)
            #expect((body["messages"] as? [[String: String]])?.map { $0["role"]! } == ["system", "user"])
            let options = try #require(body["options"] as? [String: Any])
            #expect(options["seed"] as? Int == 9)
            #expect(options["temperature"] as? Double == 0.5)
            #expect(options["num_predict"] as? Int == 7)
        }

        @Test func rawPromptGoesToGenerate() throws {
            let r = try shell(#"echo '{"prompt":"Q: hi\nA:","stop":["\nQ:"]}' | loco-gen --url "# + url + " --model ok-model")
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains(#""text":"Hello world!""#))
            let sent = try jsonObject(try #require(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").last.map(String.init)))
            #expect(sent["path"] as? String == "/api/generate")
            let body = try #require(sent["body"] as? [String: Any])
            #expect(body["raw"] as? Bool == true)
            #expect((body["options"] as? [String: Any])?["stop"] as? [String] == ["\nQ:"])
        }

        @Test func errorLineMidStreamBecomesAnErrorRecord() throws {
            let r = try shell(#"printf '%s\n%s\n' '{"id":1,"prompt":"a"}' '{"id":2,"prompt":"b"}' | loco-gen --url "# + url + " --model midstream-error")
            #expect(r.status == 1)
            #expect(r.lines.count == 2)
            let error = try #require(try jsonObject(r.lines[0])["error"] as? [String: Any])
            #expect((error["message"] as? String ?? "").contains("out of memory"))
            #expect(try jsonObject(r.lines[1])["id"] as? Int == 2)
        }

        @Test func missingModelSaysHowToPullIt() throws {
            let r = try shell(#"echo '{"prompt":"a"}' | loco-gen --url "# + url + " --model llama9:70b")
            #expect(r.status == 1)
            let error = try #require(try jsonObject(r.stdout)["error"] as? [String: Any])
            #expect(error["message"] as? String == "model 'llama9:70b' not found: run 'ollama pull llama9:70b' (or pass --model NAME)")
        }

        @Test func severalSamplesAreConcurrentRequestsWithSuccessiveSeeds() throws {
            let before = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").count ?? 0
            let r = try shell(#"echo '{"prompt":"a"}' | loco-gen --url "# + url + " --model ok-model --samples 3 --seed 40 --temperature 0.8")
            #expect(r.status == 0, "\(r.stderr)")
            #expect((try jsonObject(r.stdout)["samples"] as? [Any])?.count == 3)
            let sent = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").dropFirst(before).map { try jsonObject(String($0)) }
            let seeds = sent.compactMap { (($0["body"] as? [String: Any])?["options"] as? [String: Any])?["seed"] as? Int }
            #expect(seeds.sorted() == [40, 41, 42])
        }

        @Test func ollamaHostIsHonoured() throws {
            let r = try shell(#"echo '{"prompt":"a"}' | loco-gen --model ok-model"#, environment: ["OLLAMA_HOST": "127.0.0.1:\(port)"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("Hello world!"))
        }
    }
}
