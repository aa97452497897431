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

    /// The program that is run: the code, then the tests (a string, or a list of statements such
    /// as MBPP's asserts), then `check(entry_point)` when the tests define HumanEval's `check`.
    public static func program(code: String, record: JSONObject) throws -> String {
        guard let tests = record[.tests], !tests.isNull else { throw RecordError.missing(.tests) }
        let testText: String
        switch tests {
        case .string(let s): testText = s
        case .array(let items) where items.allSatisfy({ $0.stringValue != nil }): testText = items.compactMap(\.stringValue).joined(separator: "\n")
        default: throw RecordError.wrongType(.tests, expected: "a string or an array of strings", got: tests)
        }
        var program = code + "\n\n" + testText + "\n"
        if let entry = try record.optionalString(.entryPoint), testText.contains("def check(") {
            program += "\ncheck(\(entry))\n"
        }
        return program
    }

    /// Runs one answer; nil code (no code block found) fails without running anything.
    public func run(code: String?, record: JSONObject) throws -> Sandbox.Outcome? {
        let program = try CodeExecution.program(code: code ?? "", record: record)
        guard let code, !code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        let sandbox: Sandbox
        do { sandbox = try self.sandbox.get() } catch { throw RecordError("\(error)") }
        return try sandbox.runPython(program)
    }

    /// How many of the record's tests `code` passes, each test run on its own (a list of
    /// statements, MBPP-style) or the whole block as one test (a string). Nil code passes none.
    public func testsPassed(code: String?, record: JSONObject) throws -> (passed: Int, total: Int, summary: String) {
        guard let tests = record[.tests], !tests.isNull else { throw RecordError.missing(.tests) }
        guard let statements = tests.arrayValue?.compactMap(\.stringValue), statements.count == tests.arrayValue?.count else {
            let outcome = try run(code: code, record: record)
            return (outcome?.passed == true ? 1 : 0, 1, outcome?.summary ?? "no code to run")
        }
        guard let code, !code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return (0, statements.count, "no code to run") }
        let sandbox: Sandbox
        do { sandbox = try self.sandbox.get() } catch { throw RecordError("\(error)") }
        // Each test in its own try, so one failing assert does not hide the others.
        let literals = statements.map { JSONWriter.string(.string($0)) }.joined(separator: ", ")
        let program = code + "\n\n__loco_passed = 0\nfor __loco_test in [\(literals)]:\n    try:\n        exec(__loco_test, globals())\n        __loco_passed += 1\n    except BaseException:\n        pass\nprint('LOCO_PASSED', __loco_passed)\n"
        let outcome = try sandbox.runPython(program)
        let line = outcome.stdout.split(separator: "\n").last { $0.hasPrefix("LOCO_PASSED ") }
        let passed = line.flatMap { Int($0.dropFirst("LOCO_PASSED ".count)) } ?? 0
        return (passed, statements.count, outcome.passed ? "\(passed) of \(statements.count) tests passed" : outcome.summary)
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
