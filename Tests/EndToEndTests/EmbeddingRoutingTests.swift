import Foundation
import Testing
import LocoTestSupport

/// The embedding and hybrid routers through a real embedding engine: the llama-server that
/// `loco engine start` runs beside the generation engine (scripts/test.sh has it serve the
/// packaged model's mean-pooled embeddings). Routes are compared only between runs that read the
/// same classifier, or with a tolerance on scores: two requests may differ in the last bits.
enum EmbeddingFixture {
    static let url = E2E.env["LOCO_TEST_EMBEDDINGS"]
    static var available: Bool { url != nil }

    /// A classifier and a head fitted once, on 6 short shipped queries of each class, and 30 queries to route.
    static let trained = Result { try train() }

    static func train() throws -> (model: String, head: String, queries: String) {
        let dir = try ScratchDirectory.make("loco-embedding")
        let data = E2E.root.appendingPathComponent("adapters/router/train.jsonl").path
        let test = E2E.root.appendingPathComponent("adapters/router/test.jsonl").path
        let model = dir.appendingPathComponent("model.json").path, head = dir.appendingPathComponent("head.json").path
        let queries = dir.appendingPathComponent("queries.jsonl").path
        let r = try shell("jq -s -c 'map(select(.query | length < 160)) | group_by(.adapter) | map(.[:6]) | add | .[]' \(quoted(data)) | loco-route train - -o \(quoted(model)) --embeddings \(url!) --embedding-model gemma-3-270m --head \(quoted(head))")
        guard r.status == 0 else { throw TrainingFailed(description: r.stderr) }
        _ = try shell("jq -c 'select(.query | length < 300) | {query}' \(quoted(test)) | awk 'NR % 30 == 1' | head -30 > \(quoted(queries))")
        return (model, head, queries)
    }

    struct TrainingFailed: Error, CustomStringConvertible { var description: String }
}

@Suite(.enabled(if: EmbeddingFixture.available, "needs LOCO_TEST_EMBEDDINGS: run scripts/test.sh"))
struct EmbeddingRoutingTests {
    let fixture: (model: String, head: String, queries: String)
    let url = EmbeddingFixture.url ?? ""

    init() throws { fixture = try EmbeddingFixture.trained.get() }

    func route(_ flags: String) throws -> [[String: Any]] {
        let r = try shell("loco-route --model \(quoted(fixture.model)) --head \(quoted(fixture.head)) \(flags) < \(quoted(fixture.queries))")
        #expect(r.status == 0, "\(r.stderr)")
        return try r.lines.map(jsonObject)
    }

    @Test func trainingFitsAHeadThatNamesItsEmbeddingModel() throws {
        let head = try jsonObject(try String(contentsOfFile: fixture.head, encoding: .utf8))
        #expect(head["embedding_model"] as? String == "gemma-3-270m")
        let labels = try #require(head["labels"] as? [String])
        #expect(labels.sorted() == ["arithmetic", "base", "code-python", "math-reasoning", "sentiment", "writing-academic"])
        let width = try #require((head["mean"] as? [Double])?.count)
        #expect(width > 100 && (head["weights"] as? [[Double]])?.allSatisfy { $0.count == width } == true)
    }

    // One after the other, with time to spare: the test engine embeds with the 270M base model,
    // and on a CI machine busy with the other suites one batch of 30 passed the router's 60 s.
    @Test(.serialized, arguments: ["embedding", "hybrid"])
    func everyRecordIsRoutedThroughTheEngine(router: String) throws {
        let records = try route("--router \(router) --embeddings \(url) --embedding-timeout 300")
        #expect(records.count == 30)
        for record in records {
            let route = try #require(record["route"] as? [String: Any])
            #expect(route["router"] as? String == router && route["note"] == nil, "\(route)")
            let scores = try #require(route["scores"] as? [String: Double])
            #expect(scores.count == 6 && abs(scores.values.reduce(0, +) - 1) < 0.01, "\(scores)")
            let adapter = record["adapter"] as? String
            #expect(adapter == nil || scores[adapter!] != nil)
        }
    }

    @Test func withoutTheEngineTheClassifierRoutesAndEveryRecordSaysSo() throws {
        let started = Date()
        let records = try route("--router hybrid --embeddings http://127.0.0.1:9")
        let classifier = try route("--router classifier")
        #expect(records.count == 30)
        #expect(records.map { $0["adapter"] as? String } == classifier.map { $0["adapter"] as? String })
        for record in records {
            let route = try #require(record["route"] as? [String: Any])
            #expect(route["router"] as? String == "classifier")
            #expect((route["note"] as? String)?.hasPrefix("no embedding engine answered at llama-server at http://127.0.0.1:9 (") == true, "\(route)")
        }
        #expect(Date().timeIntervalSince(started) < 60, "one failed connection, not one per record")
    }

    @Test func aMissingHeadIsOneLineThatSaysHowToFitOne() throws {
        let r = try shell("echo '{\"query\":\"hi\"}' | loco-route --router hybrid --model \(quoted(fixture.model)) --head /nonexistent/head.json")
        #expect(r.status == 2)
        #expect(r.stderr.contains("needs an embedding head") && r.stderr.contains("loco-route train DATA -o MODEL --embeddings URL"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func theEngineScriptRunsTheEmbeddingEngineBesideTheGenerationEngine() throws {
        let status = try shell("loco engine status")
        #expect(status.stdout.contains("embedding engine answers at \(url)"), "\(status.stdout)")
        let doctor = try shell("loco doctor", timeout: 60)
        #expect(doctor.stdout.contains("ok   embedding engine at \(url)"), "\(doctor.stdout)")
    }
}

extension FakeEngine {
    /// Ollama serves embeddings itself (`/api/embed`, model all-minilm): with LOCO_BACKEND=ollama
    /// the router asks it, and a head fitted on llama-server's vectors reads Ollama's the same.
    @Suite(.enabled(if: EmbeddingFixture.available, "needs LOCO_TEST_EMBEDDINGS: run scripts/test.sh"))
    struct OllamaEmbeddingTests {
        let fixture: (model: String, head: String, queries: String)
        let ollama: FakeOllama

        init() throws {
            fixture = try EmbeddingFixture.trained.get()
            ollama = try FakeOllama.shared.get()
        }

        func route(_ flags: String, environment: [String: String] = [:]) throws -> [[String: Any]] {
            // The shared embedding engine may be busy with another suite's training: wait for it.
            let r = try shell("loco-route --router embedding --embedding-timeout 300 --model \(quoted(fixture.model)) --head \(quoted(fixture.head)) \(flags) < \(quoted(fixture.queries))",
                              environment: environment)
            #expect(r.status == 0, "\(r.stderr)")
            return try r.lines.map(jsonObject)
        }

        @Test func aHeadFittedOnLlamaServersVectorsRoutesTheSameOnOllamas() throws {
            let direct = try route("--embeddings \(EmbeddingFixture.url!)")
            // No --embeddings: the generation engine is Ollama, so the router asks Ollama.
            let viaOllama = try route("", environment: ["LOCO_BACKEND": "ollama", "OLLAMA_HOST": "127.0.0.1:\(ollama.port)", "LOCO_EMBEDDINGS": ""])
            #expect(viaOllama.count == direct.count && direct.count == 30)
            for (a, b) in zip(direct, viaOllama) {
                let ra = try #require(a["route"] as? [String: Any]), rb = try #require(b["route"] as? [String: Any])
                #expect(rb["router"] as? String == "embedding" && rb["note"] == nil, "\(rb)")
                let sa = try #require(ra["scores"] as? [String: Double]), sb = try #require(rb["scores"] as? [String: Double])
                #expect(sa.keys.sorted() == sb.keys.sorted() && sa.allSatisfy { abs($0.value - sb[$0.key]!) < 0.02 }, "\(sa) \(sb)")
                if (ra["confidence"] as? Double ?? 0) > 0.1 { #expect(a["adapter"] as? String == b["adapter"] as? String) }
            }
            let sent = try String(contentsOfFile: ollama.log, encoding: .utf8).split(separator: "\n").map { try jsonObject(String($0)) }
            let embed = try #require(sent.last { $0["path"] as? String == "/api/embed" })
            #expect((embed["body"] as? [String: Any])?["model"] as? String == "all-minilm")
            // The 30 queries are in the input at once, so they go in one request.
            #expect(((embed["body"] as? [String: Any])?["input"] as? [String])?.count == 30)
        }

        @Test func aModelOllamaHasNotPulledFallsBackToTheClassifierAndSaysSo() throws {
            let records = try route("--embedding-backend ollama --embeddings http://127.0.0.1:\(ollama.port) --embedding-model nomic-embed-text")
            #expect(records.count == 30)
            let route = try #require(records.first?["route"] as? [String: Any])
            #expect(route["router"] as? String == "classifier")
            #expect((route["note"] as? String)?.contains("not found, try pulling it first") == true, "\(route)")
        }
    }
}
