import Foundation

extension StageRunner {
    /// `parallelism` workers, each a `makeWorker()` copy of `stage`, process records at once;
    /// results are written strictly in input order, so the contract is the sequential one. At
    /// most 4 × parallelism records are read ahead of the oldest one not yet written, which keeps
    /// memory flat when one record is slow. On an interrupt, only the unbroken run of finished
    /// records from the start is written, so `--resume` sees a clean prefix.
    func runParallel<S: Stage>(_ stage: S, reader: LineReader, writer: OutputWriter,
                               flushEachRecord: Bool, afterEachRecord: ((S, Outcome) -> Void)?) -> Outcome {
        let shared = ParallelRunState((0..<parallelism).map { _ in stage.makeWorker() })
        let workerSlots = DispatchSemaphore(value: parallelism)
        let readAhead = DispatchSemaphore(value: parallelism * 4)
        let group = DispatchGroup()
        let queue = DispatchQueue(label: "loco.stage.workers", attributes: .concurrent)
        reader.beforeBlockingRead = {
            shared.lock.lock()
            writer.flush()
            shared.lock.unlock()
        }

        // Called with the lock held: writes every finished record that is next in line.
        func drain() {
            while let done = shared.finished.removeValue(forKey: shared.nextToWrite) {
                shared.nextToWrite += 1
                if shared.stopped { continue }
                if done.failed { shared.outcome.errors += 1 }
                shared.written += 1
                writer.writeLine(done.bytes)
                if flushEachRecord { writer.flush() }
                afterEachRecord?(stage, shared.outcome)
                readAhead.signal()
            }
        }

        var sequence = 0
        var lineNumber = 0
        while let line = reader.next() {
            lineNumber += 1
            if stopOnInterrupt && Interruption.requested { break }
            shared.lock.lock()
            let stopped = shared.stopped
            shared.lock.unlock()
            if stopped { break }
            if let alreadyDone, alreadyDone(lineNumber, try? JSONParser.parse(line.bytes).objectValue) {
                shared.lock.lock()
                shared.outcome.skipped += 1
                shared.lock.unlock()
                continue
            }
            readAhead.wait()
            workerSlots.wait()
            let index = sequence
            let number = lineNumber
            sequence += 1
            shared.lock.lock()
            shared.outcome.records += 1
            let worker = shared.idle.removeLast()
            let snapshot = shared.outcome
            shared.lock.unlock()
            queue.async(group: group) {
                var busy = worker
                let result = try? self.processLine(line, number: number, stage: &busy, outcome: snapshot)
                shared.lock.lock()
                shared.idle.append(busy)
                if let result {
                    shared.finished[index] = result
                } else {
                    // Interrupted mid-record: nothing from here on is written.
                    shared.stopped = true
                    shared.outcome.interrupted = true
                }
                drain()
                shared.lock.unlock()
                workerSlots.signal()
            }
        }
        group.wait()
        shared.lock.lock()
        if stopOnInterrupt && Interruption.requested { shared.outcome.interrupted = true }
        if shared.outcome.interrupted { shared.outcome.records = shared.written }
        writer.flush()
        let outcome = shared.outcome
        shared.lock.unlock()
        if outcome.errors > maxErrorMessages {
            printError("\(stage.name): \(outcome.errors - maxErrorMessages) more records with errors not shown")
        }
        return outcome
    }
}

/// What the workers of one parallel run share, under `lock`.
private final class ParallelRunState<Worker>: @unchecked Sendable {
    let lock = NSLock()
    var outcome = StageRunner.Outcome()
    var finished: [Int: (bytes: [UInt8], failed: Bool)] = [:]
    var nextToWrite = 0
    var written = 0
    var idle: [Worker]
    var stopped = false
    init(_ workers: [Worker]) { idle = workers }
}
