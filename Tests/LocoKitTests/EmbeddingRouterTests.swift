import Foundation
import Testing
import LocoEngines
import LocoKit
@testable import LocoRoute

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
