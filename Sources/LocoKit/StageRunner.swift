/// Runs a `Stage` over JSON Lines: the record contract lives here and only here.
///
/// - every input line gives exactly one output line, in the same order;
/// - a line that is not a JSON object, or a record the stage refuses, becomes an error record
///   `{"error": {stage, message, line, field?}, "raw": original line}` (a refused record keeps its
///   fields too) and a one-line message on stderr;
/// - a record that already carries `error` passes through byte for byte;
/// - the exit status is 0 when every record left without an error, else 1.
public struct StageRunner {
    public var maxErrorMessages = 20

    public init() {}

    public struct Outcome: Equatable {
        public var records = 0
        public var errors = 0
        /// Records not processed because they were already done (`--resume`).
        public var skipped = 0
        public var interrupted = false
        public init() {}
        public var exitCode: Int32 { interrupted ? Interruption.exitCode : errors == 0 ? 0 : 1 }
    }

    /// Records processed at once, each by its own `Stage.makeWorker()` copy; output order is
    /// still input order.
    public var parallelism = 1

    /// Stop between records once an interrupt is requested (see `Interruption`).
    public var stopOnInterrupt = false
    /// The output an earlier run left for a line (by line number and parsed record), written in
    /// its place instead of processing the line again (`--resume`, see `ResumeFile.earlier`).
    public var earlier: ((Int, JSONObject?) -> [UInt8]?)?
    /// Parallel runs: start work only once the read-ahead window is full (or the input ended), so
    /// that grouping sees every record of the window from the first one on. For files; a pipe
    /// that trickles would wait.
    public var fillWindowFirst = false
    /// Sees each output line as it is written, in output order (`loco run` prints a row per record).
    public var onWritten: (([UInt8]) -> Void)?
    /// Run by the reader on each line before the stage sees it (see `HeadStage`).
    public var head: HeadStage?

    /// The next input line, through the head's lookahead when there is one.
    func read(_ reader: LineReader) -> LineReader.Line? {
        head.map { $0.next(from: reader) } ?? reader.next()
    }

    /// A stage that looks ahead is shown `line` and the lines after it that are already read
    /// (`next` gives nil rather than wait), kept in `readAhead` to be processed in turn.
    static func showAhead<S: Stage>(_ line: LineReader.Line, to stage: inout S, readAhead: inout [LineReader.Line],
                                    next: () -> LineReader.Line?) {
        guard stage.lookahead > 1 else { return }
        while readAhead.count + 1 < stage.lookahead, let line = next() { readAhead.append(line) }
        stage.prepare(([line] + readAhead).compactMap { try? JSONParser.parse($0.bytes).objectValue })
    }

    /// `afterEachRecord` sees the stage and the running outcome once a record is written: for
    /// progress lines.
    public func run<S: Stage>(_ stage: inout S, reader: LineReader = LineReader(), writer: OutputWriter = OutputWriter(),
                              flushEachRecord: Bool = false, afterEachRecord: ((S, Outcome) -> Void)? = nil) -> Outcome {
        // A batch that groups by adapter takes the windowed path even with one worker, or one
        // record at a time would swap LoRAs as often as the input alternates.
        if parallelism > 1 || (fillWindowFirst && stage.groupsRecords) {
            return runParallel(stage, reader: reader, writer: writer, flushEachRecord: flushEachRecord, afterEachRecord: afterEachRecord)
        }
        reader.beforeBlockingRead = { writer.flush() }
        var outcome = Outcome()
        var lineNumber = 0
        var readAhead: [LineReader.Line] = []
        while var line = readAhead.isEmpty ? read(reader) : readAhead.removeFirst() {
            lineNumber += 1
            if readAhead.isEmpty { StageRunner.showAhead(line, to: &stage, readAhead: &readAhead) { reader.hasBufferedLine ? read(reader) : nil } }
            if stopOnInterrupt && Interruption.requested {
                outcome.interrupted = true
                break
            }
            if let earlier, let kept = earlier(lineNumber, try? JSONParser.parse(line.bytes).objectValue) {
                outcome.skipped += 1
                writer.writeLine(kept)
                if flushEachRecord { writer.flush() }
                onWritten?(kept)
                continue
            }
            outcome.records += 1
            let output: [UInt8]
            let failed: Bool
            do {
                if let head { line = try head.apply(line, number: lineNumber, runner: self) }
                (output, failed) = try processLine(line, number: lineNumber, stage: &stage, outcome: outcome)
            } catch {
                outcome.records -= 1
                outcome.interrupted = true
                break
            }
            if failed { outcome.errors += 1 }
            writer.writeLine(output)
            if flushEachRecord { writer.flush() }
            onWritten?(output)
            afterEachRecord?(stage, outcome)
        }
        writer.flush()
        if outcome.errors > maxErrorMessages {
            printError("\(stage.name): \(outcome.errors - maxErrorMessages) more records with errors not shown")
        }
        return outcome
    }

    /// One line through `stage` under the same contract as `run`, for a tool that chains stages
    /// in one process (`loco-query`): the output line and whether it is an error record.
    /// Throws only `Interrupted`.
    public func process<S: Stage>(line bytes: [UInt8], number: Int, stage: inout S) throws -> (output: [UInt8], failed: Bool) {
        try processLine(LineReader.Line(bytes: bytes, truncated: false), number: number, stage: &stage, outcome: Outcome())
    }

    /// Throws only `Interrupted`; every other failure becomes an error record.
    func processLine<S: Stage>(_ line: LineReader.Line, number: Int, stage: inout S, outcome: Outcome) throws -> ([UInt8], Bool) {
        var bytes = line.bytes
        // A byte-order mark is an editor's artefact, not content.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let stageName = stage.name
        let quiet = outcome.errors >= maxErrorMessages
        func report(_ message: String, _ field: String?) {
            if !quiet { printError("\(stageName): line \(number): \(message)") }
        }
        if line.truncated {
            let message = "line is longer than \(LineReader.defaultMaxLineBytes >> 20) MiB; only its start is kept under raw"
            report(message, nil)
            return (errorLine(stage: stage.name, message: message, line: number, field: nil, raw: Array(bytes.prefix(4096)), keeping: nil), true)
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            report("empty line", nil)
            return (errorLine(stage: stage.name, message: "empty line", line: number, field: nil, raw: bytes, keeping: nil), true)
        }
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(bytes)
        } catch {
            let message = "\(error)"
            report(message, nil)
            return (errorLine(stage: stage.name, message: message, line: number, field: nil, raw: bytes, keeping: nil), true)
        }
        guard case .object(var record) = parsed else {
            let message = "expected a JSON object, got \(parsed.typeName)"
            report(message, nil)
            return (errorLine(stage: stage.name, message: message, line: number, field: nil, raw: bytes, keeping: nil), true)
        }
        if record.hasError { return (bytes, true) }
        let failed = try process(record: &record, number: number, stage: &stage, outcome: outcome) { bytes }
        return (JSONWriter.serialize(.object(record)), failed)
    }

    /// A record already parsed through `stage` under the same contract, for stages chained in one
    /// process (`StageChain`): a record that carries an error passes untouched, a refused one
    /// becomes the stage's error record, with `raw()` (asked for only then) as the line the stage
    /// would have read. Returns whether the record is an error record. Throws only `Interrupted`.
    public func process<S: Stage>(record: inout JSONObject, number: Int, stage: inout S, outcome: Outcome = Outcome(),
                                  raw: () -> [UInt8]) throws -> Bool {
        if record.hasError { return true }
        let quiet = outcome.errors >= maxErrorMessages
        func refused(_ message: String, _ field: String?) {
            if !quiet { printError("\(stage.name): line \(number): \(message)") }
            record = errorRecord(stage: stage.name, message: message, line: number, field: field, raw: raw(), keeping: record)
        }
        do {
            try stage.process(&record, line: number)
            // A chain of stages hands back the error record one of its stages wrote.
            return record.hasError
        } catch is Interrupted {
            throw Interrupted()
        } catch let error as RecordError {
            refused(error.message, error.field)
        } catch {
            refused("\(error)", nil)
        }
        return true
    }

    private func errorLine(stage: String, message: String, line: Int, field: String?, raw: [UInt8], keeping record: JSONObject?) -> [UInt8] {
        JSONWriter.serialize(.object(errorRecord(stage: stage, message: message, line: line, field: field, raw: raw, keeping: record)))
    }

    private func errorRecord(stage: String, message: String, line: Int, field: String?, raw: [UInt8], keeping record: JSONObject?) -> JSONObject {
        var error = JSONObject([("stage", .string(stage)), ("message", .string(message)), ("line", JSONValue(line))])
        if let field { error["field"] = .string(field) }
        var out = record ?? JSONObject()
        out[.error] = .object(error)
        out[.raw] = .string(String(decoding: raw, as: UTF8.self))
        return out
    }
}
