import Foundation

/// Routes by meaning: the query's sentence embedding through an `EmbeddingHead` (`embedding`), or
/// the head's probabilities averaged with the word classifier's (`hybrid`). The embeddings come
/// from an engine through `embed`, many queries per request when the stage reads ahead
/// (`prefetch`); when it cannot answer, the word classifier routes instead and the decision's
/// note says why, so a record never fails for want of an embedding engine. After one failure the
/// engine is not asked again in this process: a batch would otherwise wait out a connection
/// timeout per record.
public final class EmbeddingRouter: QueryRouter, @unchecked Sendable {
    public enum Mode: String, Sendable {
        case embedding, hybrid
    }

    public let mode: Mode
    public var kind: String { mode.rawValue }
    public let head: EmbeddingHead
    public let words: ClassifierRouter
    /// Where the vectors come from, for the note when they do not.
    public let engineName: String
    /// The threshold a decision of the word classifier's meets when it routes instead: its own.
    public let wordsThreshold: Double?
    private let embed: ([String]) throws -> [[Double]]
    private let lock = NSLock()
    private var unavailable: String?
    /// Vectors fetched ahead by `prefetch`, each taken once by `route`.
    private var prefetched: [String: [Double]] = [:]

    /// loco-route sends up to this many queries per request when they are already read.
    public let batchSize = 32

    public init(mode: Mode, head: EmbeddingHead, words: ClassifierRouter, engineName: String, wordsThreshold: Double? = nil,
                embed: @escaping ([String]) throws -> [[Double]]) {
        self.mode = mode
        self.head = head
        self.words = words
        self.engineName = engineName
        self.wordsThreshold = wordsThreshold
        self.embed = embed
    }

    public func prefetch(_ queries: [String]) {
        var seen = Set<String>()
        let wanted = lock.withLock { unavailable == nil ? queries.filter { !$0.allSatisfy(\.isWhitespace) && prefetched[$0] == nil && seen.insert($0).inserted } : [] }
        guard wanted.count > 1 else { return }
        do {
            let vectors = try embed(wanted.map(EmbeddingRouter.text))
            lock.withLock { for (query, vector) in zip(wanted, vectors) { prefetched[query] = vector } }
        } catch {
            markUnavailable(error)
        }
    }

    public func route(_ query: String) -> RouteDecision {
        if query.allSatisfy(\.isWhitespace) { return words.route(query) }
        guard let vector = vector(for: query) else { return classifierInstead(query, because: lock.withLock { unavailable }) }
        guard vector.count == head.dimensions else {
            return classifierInstead(query, because: "\(engineName) gives \(vector.count)-dimensional embeddings, the head was fitted on \(head.dimensions) (\(head.embeddingModel)); the word classifier routed")
        }
        let dense = head.decision(vector)
        switch mode {
        case .embedding: return dense
        case .hybrid: return RouteDecision.averaging(dense.scores, words.route(query).scores)
        }
    }

    private func classifierInstead(_ query: String, because why: String?) -> RouteDecision {
        var decision = words.route(query)
        decision.decidedBy = words.kind
        decision.threshold = wordsThreshold
        decision.note = why
        return decision
    }

    /// all-MiniLM-L6-v2 reads 256 tokens (its sentence-transformers max_seq_length): the start of
    /// a long paste says what it is, and 500 characters stay under that even for code. The head
    /// is fitted on the same cut (`loco-route train --embeddings`, `eval`).
    public static func text(_ query: String) -> String { String(query.prefix(500)) }

    private func vector(for query: String) -> [Double]? {
        let (ready, down) = lock.withLock { (prefetched.removeValue(forKey: query), unavailable != nil) }
        if let ready { return ready }
        if down { return nil }
        do {
            return try embed([EmbeddingRouter.text(query)]).first
        } catch {
            markUnavailable(error)
            return nil
        }
    }

    private func markUnavailable(_ error: Error) {
        lock.withLock {
            if unavailable == nil { unavailable = "no embedding engine answered at \(engineName) (\(error)); the word classifier routed" }
        }
    }
}
