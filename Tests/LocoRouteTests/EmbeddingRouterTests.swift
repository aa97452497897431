import Foundation
import Testing
import LocoEngines
import LocoKit
import LocoRegistry
@testable import LocoRoute
import LocoTestSupport

/// The embedding head and the engines' two wire formats (the servers themselves: EndToEndTests).
@Suite struct EmbeddingRouterTests {
    @Test func llamaServerAndOllamaAnswersReadAsTheSameNormalisedVectors() throws {
        // llama-server's OpenAI shape may list the vectors out of order; Ollama's is a plain list.
        let llama = #"{"object":"list","data":[{"object":"embedding","index":1,"embedding":[0,2]},{"object":"embedding","index":0,"embedding":[3,4]}],"model":"m"}"#
        let ollama = #"{"model":"all-minilm","embeddings":[[3,4],[0,2]]}"#
        let a = try EmbeddingEngine.vectors(from: Array(llama.utf8), kind: .llamaServer, count: 2, endpoint: "e")
        let b = try EmbeddingEngine.vectors(from: Array(ollama.utf8), kind: .ollama, count: 2, endpoint: "e")
        #expect(a == [[0.6, 0.8], [0, 1]])
        #expect(a == b)
    }

    @Test func requestsFollowEachEnginesAPI() {
        let ollama = EmbeddingEngine(kind: .ollama, url: "http://127.0.0.1:11434/", model: "all-minilm")
        #expect(ollama.endpoint == "http://127.0.0.1:11434/api/embed")
        #expect(JSONWriter.string(ollama.requestBody(["a", "b"])) == #"{"input":["a","b"],"model":"all-minilm"}"#)
        let llama = EmbeddingEngine(kind: .llamaServer, url: "http://127.0.0.1:8079")
        #expect(llama.endpoint == "http://127.0.0.1:8079/v1/embeddings")
        #expect(JSONWriter.string(llama.requestBody(["a"])) == #"{"input":["a"]}"#)
    }

    @Test func aWrongNumberOfVectorsIsAnErrorThatSaysWhatToCheck() {
        let one = #"{"embeddings":[[1,0]]}"#
        #expect(throws: EngineError.self) { try EmbeddingEngine.vectors(from: Array(one.utf8), kind: .ollama, count: 2, endpoint: "e") }
        do {
            _ = try EmbeddingEngine.vectors(from: Array(#"{"data":[]}"#.utf8), kind: .llamaServer, count: 1, endpoint: "http://x/v1/embeddings")
        } catch {
            #expect("\(error)".contains("gave 0 vectors for 1 texts (an embedding model, started with --embedding?)"))
        }
    }

    /// Three clusters in 4 dimensions, one per class: the head must route each to its class with
    /// a clear lead, and a point between two clusters with a small one.
    @Test func theHeadLearnsSeparableClassesAndIsUnsureBetweenThem() {
        var generator = SplitMix64(seed: 7)
        func point(_ centre: [Double]) -> [Double] { centre.map { $0 + Double.random(in: -0.2...0.2, using: &generator) } }
        let centres = ["code-python": [1.0, 0, 0, 0], "math-reasoning": [0, 1.0, 0, 0], "base": [0, 0, 1.0, 0]]
        var vectors: [[Double]] = [], labels: [String] = []
        for (label, centre) in centres.sorted(by: { $0.key < $1.key }) {
            for _ in 0..<30 { vectors.append(point(centre)); labels.append(label) }
        }
        let head = EmbeddingHead.fit(vectors: vectors, labels: labels, classes: ["code-python", "math-reasoning", "base"], embeddingModel: "test")
        #expect(head.decision([1, 0, 0, 0]).adapter == "code-python")
        #expect(head.decision([0, 1, 0, 0]).adapter == "math-reasoning")
        let base = head.decision([0, 0, 1, 0])
        #expect(base.adapter == nil && base.scores["base"]! > 0.9 && base.confidence > 0.8)
        #expect(head.decision([0.5, 0.5, 0, 0]).confidence < 0.5)
        // Saved and read back, it routes the same.
        let copy = try? JSONDecoder().decode(EmbeddingHead.self, from: JSONEncoder().encode(head))
        #expect(copy == head)
    }

    @Test func theHybridAveragesBothRoutersProbabilities() {
        typealias P = CrossSourceEvaluation.Prediction
        let dense = [P(source: "s", expected: "code-python", routed: "code-python", confidence: 0.4, scores: ["code-python": 0.6, "base": 0.2, "math-reasoning": 0.2])]
        let sparse = [P(source: "s", expected: "code-python", routed: nil, confidence: 0.2, scores: ["code-python": 0.3, "base": 0.5, "math-reasoning": 0.2])]
        let hybrid = CrossSourceEvaluation.hybrid(dense, sparse)
        #expect(hybrid.count == 1 && hybrid[0].routed == "code-python")
        #expect(abs(hybrid[0].confidence - 0.1) < 1e-9 && abs(hybrid[0].scores["base"]! - 0.35) < 1e-9)
    }
}

/// The embedding and hybrid routers at route time, with the engine's answers given by a closure
/// (the real engines: EndToEndTests/RoutingCLITests).
@Suite struct EmbeddingRouterRoutingTests {
    let registry: Registry
    let words: ClassifierRouter
    /// writing-academic along the first axis, math-reasoning along the second, the base model along the third.
    let head: EmbeddingHead

    init() throws {
        registry = try Registry.parse(testRegistryYAML)
        let queries = ["summarize this essay", "write an essay on rain", "solve this word problem", "how many apples are left",
                       "what is the capital of france", "tell me a joke"]
        let labels: [String?] = ["writing-academic", "writing-academic", "math-reasoning", "math-reasoning", nil, nil]
        let examples = zip(queries, labels).enumerated().map { LabelledQuery(line: $0.offset + 1, query: $0.element.0, adapter: $0.element.1) }
        words = ClassifierRouter(model: try RouterTrainer().train(examples, adapters: registry.names).0)
        var vectors: [[Double]] = [], classes: [String] = []
        for (axis, label) in ["writing-academic", "math-reasoning", "base"].enumerated() {
            for k in 0..<10 {
                var v = [0.1, 0.1, 0.1]
                v[axis] = 1 + Double(k) / 100
                vectors.append(v)
                classes.append(label)
            }
        }
        head = EmbeddingHead.fit(vectors: vectors, labels: classes, classes: registry.names + ["base"], embeddingModel: "test")
    }

    /// Embeds "essay …" along the writing axis and anything else along the math axis, counting requests.
    final class Engine: @unchecked Sendable {
        var requests = 0
        var batches: [Int] = []
        var fails = false
        func embed(_ texts: [String]) throws -> [[Double]] {
            requests += 1
            batches.append(texts.count)
            if fails { throw EngineError.badResponse("connection refused") }
            return texts.map { $0.hasPrefix("essay") ? [1, 0.1, 0.1] : [0.1, 1, 0.1] }
        }
    }

    @Test func theHeadRoutesByTheQuerysEmbedding() {
        let engine = Engine()
        let router = EmbeddingRouter(mode: .embedding, head: head, words: words, engineName: "llama-server at http://x", embed: engine.embed)
        let writing = router.route("essay words the classifier never saw")
        #expect(writing.adapter == "writing-academic" && writing.decidedBy == nil && writing.note == nil)
        #expect(abs(writing.scores.values.reduce(0, +) - 1) < 0.01)
        #expect(router.route("anything else").adapter == "math-reasoning")
        #expect(engine.requests == 2)
    }

    @Test func theHybridAveragesTheHeadAndTheClassifier() {
        let router = EmbeddingRouter(mode: .hybrid, head: head, words: words, engineName: "e", embed: Engine().embed)
        let query = "essay: summarize this"
        let decision = router.route(query)
        let dense = head.decision([1, 0.1, 0.1]), sparse = words.route(query)
        #expect(decision == RouteDecision.averaging(dense.scores, sparse.scores))
        #expect(decision.adapter == "writing-academic")
    }

    @Test func withoutAnEngineTheClassifierRoutesAndSaysWhyAskingOnlyOnce() {
        let engine = Engine()
        engine.fails = true
        let router = EmbeddingRouter(mode: .hybrid, head: head, words: words, engineName: "llama-server at http://127.0.0.1:9", embed: engine.embed)
        let first = router.route("summarize this essay")
        #expect(first.adapter == words.route("summarize this essay").adapter)
        #expect(first.decidedBy == "classifier")
        #expect(first.note?.hasPrefix("no embedding engine answered at llama-server at http://127.0.0.1:9 (") == true)
        #expect(first.note?.hasSuffix("; the word classifier routed") == true)
        _ = router.route("solve this word problem")
        #expect(engine.requests == 1, "a batch does not wait on a dead engine once per record")
    }

    @Test func vectorsFromAnotherModelAreNotReadByTheHead() {
        let router = EmbeddingRouter(mode: .embedding, head: head, words: words, engineName: "ollama at http://o") { texts in texts.map { _ in [1, 0] } }
        let decision = router.route("summarize this essay")
        #expect(decision.decidedBy == "classifier")
        #expect(decision.note == "ollama at http://o gives 2-dimensional embeddings, the head was fitted on 3 (test); the word classifier routed")
    }

    @Test func theRouteRecordSaysWhoDecidedAndWhy() throws {
        let engine = Engine()
        engine.fails = true
        let router = EmbeddingRouter(mode: .embedding, head: head, words: words, engineName: "llama-server at http://127.0.0.1:9", embed: engine.embed)
        var stage = try RouteStage(registry: registry, router: router, threshold: 0)
        var record: JSONObject = ["query": "summarize this essay"]
        try stage.process(&record, line: 1)
        let route = try #require(record["route"]?.objectValue)
        #expect(route["router"]?.stringValue == "classifier")
        #expect(route["note"]?.stringValue?.contains("the word classifier routed") == true)
        engine.fails = false
        var healthy: JSONObject = ["query": "essay please"]
        var fresh = try RouteStage(registry: registry, router: EmbeddingRouter(mode: .embedding, head: head, words: words, engineName: "e", embed: engine.embed))
        try fresh.process(&healthy, line: 1)
        #expect(healthy["route"]?.objectValue?["router"]?.stringValue == "embedding" && healthy["route"]?.objectValue?["note"] == nil)
        #expect(healthy["adapter"]?.stringValue == "writing-academic")
    }

    /// Records already read are embedded together, 32 per request; a record with its own adapter
    /// is not asked about, and every record still comes out in order.
    @Test func recordsAlreadyReadAreEmbeddedInOneRequest() throws {
        let engine = Engine()
        var stage = try RouteStage(registry: registry, router: EmbeddingRouter(mode: .embedding, head: head, words: words, engineName: "e", embed: engine.embed))
        let input = (1...40).map { #"{"query":"essay \#($0)"}"# + "\n" }.joined() + #"{"query":"mine","adapter":null}"# + "\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID()).jsonl")
        let output = file.appendingPathExtension("out")
        defer { try? FileManager.default.removeItem(at: file); try? FileManager.default.removeItem(at: output) }
        try input.write(to: file, atomically: true, encoding: .utf8)
        try Data().write(to: output)
        let inFD = open(file.path, O_RDONLY), outFD = open(output.path, O_WRONLY)
        let outcome = StageRunner().run(&stage, reader: LineReader(fd: inFD), writer: OutputWriter(fd: outFD))
        close(inFD)
        close(outFD)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)).objectValue! }
        #expect(outcome.records == 41 && lines.count == 41)
        #expect(lines.dropLast().enumerated().allSatisfy { $0.element["query"]?.stringValue == "essay \($0.offset + 1)" && $0.element["adapter"]?.stringValue == "writing-academic" })
        #expect(lines.last?["route"]?.objectValue?["router"]?.stringValue == "record")
        #expect(engine.batches == [32, 8])
    }

    @Test func aSavedHeadReadsBackAndRoutesTheSame() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("head-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let text = try head.serialized()
        try text.write(to: file, atomically: true, encoding: .utf8)
        let read = try EmbeddingHead.load(file)
        #expect(try read.serialized() == text, "the same fit gives the same file")
        for v in [[1.0, 0.1, 0.1], [0.1, 1, 0.1], [0.1, 0.1, 1], [0.5, 0.5, 0.1]] {
            #expect(read.decision(v).adapter == head.decision(v).adapter)
        }
        try "{}".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try EmbeddingHead.load(file) }
    }

    @Test func theEmbeddingEngineFollowsTheGenerationEngineUnlessNamed() {
        let llama = EmbeddingEngine.standard(url: nil, kind: nil, model: nil, environment: [:])
        #expect(llama.kind == .llamaServer && llama.url == "http://127.0.0.1:8079")
        let ollama = EmbeddingEngine.standard(url: nil, kind: nil, model: nil, environment: ["LOCO_BACKEND": "ollama", "OLLAMA_HOST": ":11500"])
        #expect(ollama.kind == .ollama && ollama.url == "http://127.0.0.1:11500" && ollama.model == "all-minilm")
        #expect(ollama.endpoint == "http://127.0.0.1:11500/api/embed")
        let named = EmbeddingEngine.standard(url: nil, kind: nil, model: nil, environment: ["LOCO_BACKEND": "ollama", "LOCO_EMBEDDINGS": "http://127.0.0.1:8186"])
        #expect(named.kind == .llamaServer && named.url == "http://127.0.0.1:8186")
        let flags = EmbeddingEngine.standard(url: "http://h:1", kind: .ollama, model: "nomic-embed-text", environment: ["LOCO_EMBEDDINGS": "http://other"])
        #expect(flags.url == "http://h:1" && flags.kind == .ollama && flags.model == "nomic-embed-text")
    }
}
