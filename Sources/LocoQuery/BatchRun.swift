import Foundation
import LocoEngines
import LocoKit
import LocoRoute
import LocoScore

/// `loco run FILE`: every record of a problem set through the whole stack, as
/// `loco-route | loco-prompt | loco-gen | loco-vote | loco-score` would take it, with the same
/// stages as `loco query`. Each record is routed as it is read (the router is fast, and its
/// choice is the record's group), then answered several at a time so the engine's slots stay
/// busy, records of one adapter back to back; the output keeps input order, and each record is
/// written and shown as soon as those before it are done.
public struct BatchRun {
    public var route: RouteStage
    public var answer: StageChain
    public var parallelism: Int

    /// The pipeline's stages over a file: its router first, then the rest as one chain (scored
    /// as the pipeline's metric says: each record's own for loco run, the benchmark's for loco eval).
    public init(pipeline: QueryPipeline, parallelism: Int) {
        route = pipeline.route
        answer = pipeline.answering
        self.parallelism = max(1, parallelism)
    }

    /// Records answered at once by default: as many as the engine has slots for, given that each
    /// record draws `samples` together (llama-server's n_cmpl takes a slot per sample); two for an
    /// engine that does not say (Ollama queues the rest, and grouping by adapter needs a choice).
    public static func defaultParallelism(engines: Engines, samples: Int) -> Int {
        guard engines.settings.backend == .llamaServer, engines.pool == nil,
              let server = engines.make() as? LlamaServerBackend, let slots = try? server.slots() else { return 2 }
        return max(1, slots / max(1, samples))
    }

    public struct Report {
        public var tally = BatchTally()
        public var outcome = StageRunner.Outcome()
    }

    /// Runs `input` into `output`, written afresh, or with `resume` keeping the records an earlier
    /// run finished in their places. `row` gets each record's row in input order, kept ones
    /// included; `progress`, when given, is called after each record with the records done (kept
    /// ones included) and this run's outcome.
    public mutating func run(input: String, output: String, resume: ResumeFile?, row: @escaping (String) -> Void,
                             progress: ((Int, StageRunner.Outcome) -> Void)? = nil) throws -> Report {
        let report = ReportBox()
        let inFD = open(input, O_RDONLY)
        guard inFD >= 0 else { throw ConfigError("cannot read \(input): \(String(cString: strerror(errno)))") }
        defer { close(inFD) }
        let writer: OutputWriter
        if let resume {
            writer = try resume.writer()
        } else {
            writer = try OutputFile.create(output)
        }
        var runner = StageRunner()
        runner.stopOnInterrupt = true
        runner.parallelism = parallelism
        runner.fillWindowFirst = true
        runner.earlier = resume?.earlier
        runner.head = HeadStage(route)
        runner.onWritten = { bytes in
            guard case .object(let record)? = try? JSONParser.parse(bytes) else { return }
            report.value.tally.add(record)
            row(BatchRow.line(record))
        }
        report.value.outcome = runner.run(&answer, reader: LineReader(fd: inFD), writer: writer, flushEachRecord: true) { _, outcome in
            progress?(outcome.skipped + outcome.records, outcome)
        }
        if let resume { try resume.finish(writer) } else { writer.close() }
        return report.value
    }

    /// Lines in a file, for the progress line's share done.
    public static func lineCount(_ path: String) -> Int {
        (FileManager.default.contents(atPath: path) ?? Data()).reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
    }
}

/// Shared between the runner's callback and the caller.
private final class ReportBox: @unchecked Sendable {
    var value = BatchRun.Report()
}
