import LocoKit

/// Stages run one after another on each record, in one process, under the contract the pipe
/// keeps: each stage sees the line the one before it wrote, a record a stage refuses becomes that
/// stage's error record (its name, its message on stderr) and the later stages let it through.
/// So `loco run`'s records are the ones `loco-route | loco-prompt | loco-gen | loco-vote | loco-score` writes.
public struct StageChain: Stage {
    public var stages: [any Stage]
    /// Whether a refused record is also said on stderr (`loco-query` says it once, itself).
    public var reportsErrors = true

    public init(_ stages: [any Stage]) {
        precondition(!stages.isEmpty, "a chain needs a stage")
        self.stages = stages
    }

    /// A line that is not a record at all is the first stage's error, as in the pipe.
    public var name: String { stages[0].name }

    /// The record passes from stage to stage as a value: parsing what a stage wrote gives back
    /// the same record (numbers keep their literal text), so only a refusal needs the line the
    /// stage would have read, for its error record's `raw`.
    public mutating func process(_ record: inout JSONObject, line: Int) throws {
        var runner = StageRunner()
        if !reportsErrors { runner.maxErrorMessages = 0 }
        for index in stages.indices {
            let input = record
            if try runner.process(record: &record, number: line, stage: &stages[index], raw: { JSONWriter.serialize(.object(input)) }) { break }
        }
    }

    public func makeWorker() -> StageChain {
        var worker = StageChain(stages.map { $0.makeWorker() })
        worker.reportsErrors = reportsErrors
        return worker
    }

    /// The first stage that groups records decides (loco-gen: by adapter).
    public func groupKey(of record: JSONObject) -> String? {
        stages.first { $0.groupsRecords }?.groupKey(of: record)
    }

    public var groupsRecords: Bool { stages.contains { $0.groupsRecords } }
}
