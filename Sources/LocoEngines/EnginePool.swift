import Foundation
import LocoKit

/// Several engines serving the same model, shared by every worker of one `loco-gen`: each
/// request goes to the healthy engine with the fewest requests outstanding; an engine that
/// fails (no connection, a cut or timed-out request, HTTP 5xx) is taken out for a while and
/// tried again later, and the request goes to another engine.
public final class EnginePool: @unchecked Sendable {
    public let urls: [String]
    /// How long an engine stays out after a failure: doubling per consecutive failure, capped.
    public var cooldown: (first: Double, max: Double) = (2, 30)
    private var outstanding: [Int]
    private var failures: [Int]
    private var outUntil: [Date]
    private var lastUsed: [Int]
    private var tick = 0
    private let lock = NSLock()

    public init(urls: [String]) {
        precondition(!urls.isEmpty)
        self.urls = urls
        outstanding = Array(repeating: 0, count: urls.count)
        failures = Array(repeating: 0, count: urls.count)
        outUntil = Array(repeating: .distantPast, count: urls.count)
        lastUsed = Array(repeating: 0, count: urls.count)
    }

    /// The engine to use (skipping `excluded`), or nil and when the first one comes back.
    func acquire(excluding excluded: Set<Int>) -> (member: Int?, retryAt: Date?) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let candidates = urls.indices.filter { !excluded.contains($0) && outUntil[$0] <= now }
        // Fewest outstanding; among equals the one used longest ago, so load spreads evenly.
        guard let best = candidates.min(by: { (outstanding[$0], lastUsed[$0]) < (outstanding[$1], lastUsed[$1]) }) else {
            return (nil, urls.indices.filter { !excluded.contains($0) }.map { outUntil[$0] }.min())
        }
        outstanding[best] += 1
        tick += 1
        lastUsed[best] = tick
        return (best, nil)
    }

    /// Returns the engine; a failure takes it out for a cooldown. Says so on stderr when an
    /// engine goes out or comes back.
    func release(_ member: Int, failure: Error?, judged: Bool = true) {
        lock.lock()
        defer { lock.unlock() }
        outstanding[member] -= 1
        guard judged else { return }
        if let failure {
            failures[member] += 1
            let seconds = min(cooldown.max, cooldown.first * pow(2, Double(failures[member] - 1)))
            outUntil[member] = Date().addingTimeInterval(seconds)
            printError("loco-gen: engine \(urls[member]) failed (\(failure)); out for \(String(format: "%g", seconds)) s, its requests go to the others")
        } else if failures[member] > 0 {
            failures[member] = 0
            printError("loco-gen: engine \(urls[member]) is back")
        }
    }

    /// Engines that are in first, then those that are out, each group in URL order.
    func inFirst() -> [Int] {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        return urls.indices.filter { outUntil[$0] <= now } + urls.indices.filter { outUntil[$0] > now }
    }

    /// Requests in flight per engine (for tests and progress).
    public var load: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return outstanding
    }
}

/// One worker's view of an `EnginePool`: its own backend (and connection) per engine.
public final class PooledBackend: GenerationBackend {
    public let pool: EnginePool
    private let members: [GenerationBackend]
    /// How long a request may wait for some engine to come back before it becomes an error.
    public var patience: Double
    /// The engine that answered the last request, as recorded in `engine`.
    public private(set) var lastEngine: String?

    public init(pool: EnginePool, members: [GenerationBackend], patience: Double) {
        precondition(members.count == pool.urls.count)
        self.pool = pool
        self.members = members
        self.patience = patience
    }

    public var name: String { members[0].name }

    /// The pool's engines are all of one kind.
    public func readsPrompt(of request: GenerationRequest) -> Bool { members[0].readsPrompt(of: request) }

    private var cachedModelName: String?

    /// Asked of the engines in turn, skipping those that are out: a name is not a sign of health
    /// (a backend may have it cached), so it never puts an engine back in.
    public func modelName() throws -> String {
        if let cachedModelName { return cachedModelName }
        var lastError: Error?
        for member in pool.inFirst() {
            do {
                let name = try members[member].modelName()
                cachedModelName = name
                return name
            } catch let error where PooledBackend.isEngineFailure(error) {
                lastError = error
            }
        }
        throw lastError ?? TransportError.failed(url: pool.urls.joined(separator: ", "), message: "no engine in the pool answered")
    }

    public func generate(_ request: GenerationRequest) throws -> Sample {
        try route { try members[$0].generate(request) }
    }

    public func generate(_ request: GenerationRequest, count: Int) throws -> [Sample] {
        try route { try members[$0].generate(request, count: count) }
    }

    /// Runs `body` on an engine; on an engine failure, on the next one. The answer is taken from
    /// exactly one engine, so a record is never lost to one engine's death nor written twice.
    private func route<T>(_ body: (Int) throws -> T) throws -> T {
        var tried: Set<Int> = []
        var lastError: Error?
        let deadline = Date().addingTimeInterval(patience)
        while true {
            let (member, retryAt) = pool.acquire(excluding: tried)
            guard let member else {
                // Every engine is out, or failed this request: wait for one to come back.
                if tried.count == pool.urls.count { tried.removeAll() }
                let wake = retryAt ?? Date().addingTimeInterval(0.5)
                guard wake < deadline else {
                    throw lastError ?? TransportError.failed(url: pool.urls.joined(separator: ", "), message: "no engine in the pool answered")
                }
                Thread.sleep(until: min(wake, deadline))
                if Interruption.requested { throw Interrupted() }
                continue
            }
            do {
                let result = try body(member)
                pool.release(member, failure: nil)
                lastEngine = pool.urls[member]
                return result
            } catch let error where PooledBackend.isEngineFailure(error) {
                pool.release(member, failure: error)
                tried.insert(member)
                lastError = error
            } catch {
                // Not the engine's fault (a missing model, Ctrl-C): no verdict on its health.
                pool.release(member, failure: nil, judged: false)
                throw error
            }
        }
    }

    /// Failures of the engine, not of the request: another engine may well answer.
    static func isEngineFailure(_ error: Error) -> Bool {
        switch error {
        case is TransportError: return true
        case EngineError.server(let status, _): return status >= 500 || status == 200
        case EngineError.badResponse: return true
        default: return false
        }
    }
}
