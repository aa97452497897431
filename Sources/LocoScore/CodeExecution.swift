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
        guard let tests = record["tests"], !tests.isNull else { throw RecordError.missing("tests") }
        let testText: String
        switch tests {
        case .string(let s): testText = s
        case .array(let items) where items.allSatisfy({ $0.stringValue != nil }): testText = items.compactMap(\.stringValue).joined(separator: "\n")
        default: throw RecordError.wrongType("tests", expected: "a string or an array of strings", got: tests)
        }
        var program = code + "\n\n" + testText + "\n"
        if let entry = try record.optionalString("entry_point"), testText.contains("def check(") {
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

    /// The unbiased pass@k estimate from n samples of which c passed: 1 - C(n-c, k) / C(n, k).
    public static func passAtK(n: Int, c: Int, k: Int) -> Double {
        guard n > 0, k > 0, c > 0 else { return 0 }
        if n - c < k { return 1 }
        var product = 1.0
        for i in (n - c + 1)...n { product *= 1 - Double(k) / Double(i) }
        return 1 - product
    }
}
