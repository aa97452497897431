/// A stage the runner's reader applies to each line as it reads it, in input order, before the
/// run's own stage (and its grouping) sees the record: `loco run` routes there, so a record's
/// adapter is known when it joins the queue, the router's work stays in one thread and the routing
/// log in input order. A stage that looks ahead (the embedding router) is shown the lines already
/// buffered, as in a run of its own. Lines an earlier run finished (`--resume`) skip it.
public final class HeadStage {
    public private(set) var stage: any Stage
    private var readAhead: [LineReader.Line] = []
    private var errors = 0

    public init(_ stage: any Stage) { self.stage = stage }

    /// The next input line, after showing the stage what is buffered when it looks ahead.
    func next(from reader: LineReader) -> LineReader.Line? {
        if !readAhead.isEmpty { return readAhead.removeFirst() }
        guard let line = reader.next() else { return nil }
        StageRunner.showAhead(line, to: &stage, readAhead: &readAhead) { reader.hasBufferedLine ? reader.next() : nil }
        return line
    }

    /// `line` through the stage under the record contract: what the run's own stage reads (an
    /// error record it then passes through). Throws only `Interrupted`.
    func apply(_ line: LineReader.Line, number: Int, runner: StageRunner) throws -> LineReader.Line {
        var outcome = StageRunner.Outcome()
        outcome.errors = errors
        let (bytes, failed) = try runner.processLine(line, number: number, stage: &stage, outcome: outcome)
        if failed { errors += 1 }
        return LineReader.Line(bytes: bytes, truncated: false)
    }
}
