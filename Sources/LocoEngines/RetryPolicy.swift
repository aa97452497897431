import Foundation
import LocoKit

/// Retries an engine that says it is busy (HTTP 503, as Ollama's full queue and a llama-server
/// still loading its model both do, or 429) with exponential backoff and jitter, a bounded number
/// of times. Anything else fails at once: retrying a missing model or a refused connection only
/// makes the user wait for the same answer.
public struct RetryPolicy: Sendable {
    public var retries: Int
    public var baseDelay: Double
    public var maxDelay: Double

    public init(retries: Int = 4, baseDelay: Double = 0.5, maxDelay: Double = 8) {
        self.retries = retries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static func isRetryable(_ error: Error) -> Bool {
        if case EngineError.server(let status, _) = error { return status == 503 || status == 429 }
        return false
    }

    /// Full jitter between half and all of the capped exponential delay, so that many clients
    /// hitting one busy engine do not retry in step.
    public func delay(beforeRetry attempt: Int) -> Double {
        let capped = min(maxDelay, baseDelay * pow(2, Double(attempt)))
        return capped * Double.random(in: 0.5...1.0)
    }

    public func run<T>(_ body: () throws -> T, onRetry: (Int, Error, Double) -> Void = { _, _, _ in }) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch where RetryPolicy.isRetryable(error) && attempt < retries {
                let wait = delay(beforeRetry: attempt)
                onRetry(attempt + 1, error, wait)
                Thread.sleep(forTimeInterval: wait)
                if Interruption.requested { throw Interrupted() }
                attempt += 1
            } catch let error as EngineError where RetryPolicy.isRetryable(error) {
                throw EngineError.stillBusy(retries: retries, last: error)
            }
        }
    }
}
