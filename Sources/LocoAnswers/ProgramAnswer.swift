import Foundation
import LocoKit
import LocoSandbox

/// A sample that answers with a program (`answer_format: program`), run: the program, what it
/// printed, how the run ended, and the answer it gives. A program that fails, prints nothing or
/// runs out of time gives no answer, and so does not vote.
public struct ProgramAnswer: Equatable, Sendable {
    /// The code the sample wrote (its first fenced block, or the whole text); nil when it wrote none.
    public var program: String?
    /// What the program printed on its standard output, at most 64 KiB.
    public var output: String
    /// "ok", or why the run gave no answer.
    public var ended: String
    /// The last line it printed, as a number when it is one (rounded to 12 significant digits, so
    /// that 0.1 + 0.2 and 0.3 vote together); nil when the run gave no answer.
    public var value: String?

    public init(program: String?, output: String, ended: String, value: String?) {
        self.program = program
        self.output = output
        self.ended = ended
        self.value = value
    }

    /// The record's form: one object per sample in `runs`.
    public var json: JSONValue {
        ["program": JSONValue(program), "output": .string(output), "ended": .string(ended)]
    }

    /// A run as `json` wrote it (loco-gen writes its runs into its samples when it stops early on
    /// them, so that loco-vote does not run the same program twice); nil when it is not one.
    public init?(json: JSONValue?) {
        guard let object = json?.objectValue, let output = object["output"]?.stringValue, let ended = object["ended"]?.stringValue else { return nil }
        let program = object["program"]?.stringValue
        self.init(program: program, output: output, ended: ended,
                  value: ended == "ok" ? ProgramAnswer.value(printed: output) : nil)
    }

    /// The answer a program's output gives: its last non-empty line, as a number when it reads as one.
    public static func value(printed: String) -> String? {
        guard let last = printed.split(whereSeparator: \.isNewline).last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
        let line = last.trimmingCharacters(in: .whitespaces)
        // Whole numbers are read exactly, whatever their length; floats lose their noise.
        let digits = line.hasPrefix("-") ? line.dropFirst() : Substring(line)
        let whole = !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
        if !whole, let number = Double(line), number.isFinite, line.count <= 40 {
            return AnswerExtractor.normalizedNumber(String(format: "%.12g", number)) ?? line
        }
        return AnswerExtractor.normalizedNumber(line) ?? line
    }
}

/// Runs samples' programs in the sandbox. Where no sandbox can be had, every run throws saying
/// so: a program is never run without one.
public struct ProgramRunner {
    private let shared: SharedSandbox

    /// The sandbox is made on the first program run, once for every copy of this runner: a
    /// `loco run` hands one runner to loco-gen's early stop and to the vote. It is probed only
    /// when a program never starts: most runs are one program, and a probe costs as much again.
    public init(sandbox: @escaping @autoclosure () -> Result<Sandbox, Error> = Result { try Sandbox.make(limits: ProgramRunner.limits, probe: false) }) {
        shared = SharedSandbox(make: sandbox)
    }

    /// A sum needs far less than a test suite: two seconds of CPU and five of wall clock keep a
    /// looping sample from holding up its vote.
    public static var limits: Sandbox.Limits {
        var limits = Sandbox.Limits()
        limits.wallSeconds = 5
        limits.cpuSeconds = 2
        limits.memoryBytes = 256 << 20
        return limits
    }

    /// The program without the indentation it was written at: a raw completion starts after
    /// "A:" with a space, which Python would take for an indented first line.
    static func dedented(_ code: String) -> String {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        func indent(_ line: Substring) -> Int { line.prefix { $0 == " " || $0 == "\t" }.count }
        let rest = lines.dropFirst().filter { !$0.allSatisfy(\.isWhitespace) }
        // The rest comes back with it only when the whole block was indented, first line included.
        let common = min(rest.map(indent).min() ?? 0, lines.first.map(indent) ?? 0)
        let first = lines.first.map { $0.drop { $0 == " " || $0 == "\t" } } ?? ""
        return ([first] + lines.dropFirst().map { $0.allSatisfy(\.isWhitespace) ? $0 : $0.dropFirst(common) }).joined(separator: "\n")
    }

    /// Reads the program out of a sample's text and runs it.
    public func answer(_ text: String) throws -> ProgramAnswer {
        guard let program = AnswerExtractor.codeBlock(in: text).map(ProgramRunner.dedented) else {
            return ProgramAnswer(program: nil, output: "", ended: "no program: the sample wrote no code", value: nil)
        }
        let sandbox: Sandbox
        do { sandbox = try shared.sandbox.get() } catch { throw RecordError("\(error)") }
        let outcome = try sandbox.run(program: program)
        if let failure = outcome.failure {
            return ProgramAnswer(program: program, output: outcome.printed, ended: failure, value: nil)
        }
        guard let value = ProgramAnswer.value(printed: outcome.printed) else {
            return ProgramAnswer(program: program, output: outcome.printed, ended: "printed nothing", value: nil)
        }
        return ProgramAnswer(program: program, output: outcome.printed, ended: "ok", value: value)
    }
}

/// One sandbox made on first use, shared by copies of a runner and safe to reach from the
/// parallel workers of a run.
private final class SharedSandbox: @unchecked Sendable {
    private let lock = NSLock()
    private let make: () -> Result<Sandbox, Error>
    private var made: Result<Sandbox, Error>?

    init(make: @escaping () -> Result<Sandbox, Error>) { self.make = make }

    var sandbox: Result<Sandbox, Error> {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let result = make()
        made = result
        return result
    }
}
