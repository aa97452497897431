import Foundation
import LocoKit

/// Scores code by running it against the record's tests in the `Sandbox`: pass@1 for the
/// answer, and pass@k over every sample's answer with the unbiased estimator of Chen et al.
/// (2021). Where no sandbox can be had, each such record is an error saying so: the code is
/// never run without one.
public struct CodeExecution {
    let sandbox: Result<Sandbox, Error>

    public init(sandbox: Result<Sandbox, Error> = Result { try Sandbox.make() }) {
        self.sandbox = sandbox
    }

    /// The record's tests as the sandbox runs them: a list of statements (MBPP's asserts) is one
    /// test each; a string is one test. In either form, with an `entry_point`, a test that defines
    /// HumanEval's `check` is always followed by `check(entry_point)`, and code that does not
    /// define the entry point fails it.
    public static func tests(of record: JSONObject) throws -> (tests: [String], entryPoint: String?) {
        guard let tests = record[.tests], !tests.isNull else { throw RecordError.missing(.tests) }
        switch tests {
        case .string(let block):
            return ([block], try record.optionalString(.entryPoint))
        case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
            return (items.compactMap(\.stringValue), try record.optionalString(.entryPoint))
        default:
            throw RecordError.wrongType(.tests, expected: "a string or an array of strings", got: tests)
        }
    }

    /// Runs one answer against all of the record's tests; nil code (no code block found) runs
    /// nothing and is nil.
    public func run(code: String?, record: JSONObject) throws -> Sandbox.Verdict? {
        let (tests, entryPoint) = try CodeExecution.tests(of: record)
        guard let code, !code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        let sandbox: Sandbox
        do { sandbox = try self.sandbox.get() } catch { throw RecordError("\(error)") }
        return try sandbox.test(code: code, tests: tests, entryPoint: entryPoint)
    }

    /// How many of the record's tests `code` passes. Nil code passes none.
    public func testsPassed(code: String?, record: JSONObject) throws -> (passed: Int, total: Int, summary: String) {
        let total = try CodeExecution.tests(of: record).tests.count
        guard let verdict = try run(code: code, record: record) else { return (0, total, "no code to run") }
        return (verdict.passedCount, total, verdict.summary)
    }

    /// The unbiased pass@k estimate from n samples of which c passed: 1 - C(n-c, k) / C(n, k).
    public static func passAtK(n: Int, c: Int, k: Int) -> Double {
        guard n > 0, k > 0, c > 0 else { return 0 }
        if n - c < k { return 1 }
        var product = 1.0
        for i in (n - c + 1)...n { product *= 1 - Double(k) / Double(i) }
        return 1 - product
    }
}
