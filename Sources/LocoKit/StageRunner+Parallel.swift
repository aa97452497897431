import Foundation

extension StageRunner {
    /// `parallelism` worker threads, each with a `makeWorker()` copy of `stage`, process records
    /// at once (threads, not a dispatch queue: workers block on the network, and a queue's width
    /// follows the core count). Results are written strictly in input order, so the contract is
    /// the sequential one. At most 16 × parallelism records are read ahead of the oldest one not
    /// yet written, which keeps memory flat when one record is slow and is wide enough for grouping
    /// (bench/adapters.sh: 4 × gave 0.62 of one adapter's throughput, 16 × gives 0.9). Within that window a free
    /// worker takes the oldest record with the same `groupKey` as the last one started, else the
    /// oldest. On an interrupt only the unbroken run of finished records from the start is
    /// written, so `--resume` sees a clean prefix.
    func runParallel<S: Stage>(_ stage: S, reader: LineReader, writer: OutputWriter,
                               flushEachRecord: Bool, afterEachRecord: ((S, Outcome) -> Void)?) -> Outcome {
        let state = ParallelRunState(limit: parallelism * 16)
        state.holding = fillWindowFirst
        reader.beforeBlockingRead = {
            state.condition.lock()
            writer.flush()
            state.condition.unlock()
        }

        // Called with the lock held: writes every finished record that is next in line.
        let drain = {
            while let done = state.finished.removeValue(forKey: state.nextToWrite) {
                state.nextToWrite += 1
                if state.stopped { continue }
                if !done.earlier {
                    if done.failed { state.outcome.errors += 1 }
                    state.written += 1
                }
                writer.writeLine(done.bytes)
                if flushEachRecord { writer.flush() }
                self.onWritten?(done.bytes)
                if !done.earlier {
                    // Progress counts what is finished and written, not what is in flight.
                    var finished = state.outcome
                    finished.records = state.written
                    afterEachRecord?(stage, finished)
                }
            }
            state.condition.broadcast()
        }

        var threads: [Thread] = []
        let finishedThreads = DispatchGroup()
        for _ in 0..<parallelism {
            let worker = WorkerBox(stage.makeWorker())
            finishedThreads.enter()
            let thread = Thread {
                defer { finishedThreads.leave() }
                while true {
                    state.condition.lock()
                    while (state.queue.isEmpty || state.holding) && !state.closed { state.condition.wait() }
                    if state.queue.isEmpty {
                        state.condition.unlock()
                        return
                    }
                    let next = state.lastKey.flatMap { key in state.queue.firstIndex { $0.key == key } } ?? 0
                    let job = state.queue.remove(at: next)
                    state.lastKey = job.key
                    let snapshot = state.outcome
                    let stopped = state.stopped
                    state.condition.unlock()
                    let result = stopped ? nil : try? self.processLine(job.line, number: job.number, stage: &worker.stage, outcome: snapshot)
                    state.condition.lock()
                    if let result {
                        state.finished[job.index] = (result.0, result.1, false)
                    } else {
                        // Interrupted mid-record: nothing from here on is written.
                        state.stopped = true
                        state.outcome.interrupted = true
                    }
                    drain()
                    state.condition.unlock()
                }
            }
            thread.stackSize = 1 << 20
            threads.append(thread)
            thread.start()
        }

        var index = 0
        var lineNumber = 0
        while var line = read(reader) {
            lineNumber += 1
            if stopOnInterrupt && Interruption.requested { break }
            let kept = earlier.flatMap { $0(lineNumber, try? JSONParser.parse(line.bytes).objectValue) }
            if kept == nil, let head {
                guard let headed = try? head.apply(line, number: lineNumber, runner: self) else { break }
                line = headed
            }
            state.condition.lock()
            while index - state.nextToWrite >= state.limit && !state.stopped {
                // A full window is as full as it gets: workers waiting for one may start.
                state.holding = false
                state.condition.broadcast()
                state.condition.wait()
            }
            if state.stopped {
                state.condition.unlock()
                break
            }
            if let kept {
                // Done by an earlier run: written in its place, in order with the rest.
                state.finished[index] = (kept, false, true)
                state.outcome.skipped += 1
                index += 1
                drain()
                state.condition.unlock()
                continue
            }
            let key = stage.groupsRecords ? (try? JSONParser.parse(line.bytes).objectValue).flatMap { stage.groupKey(of: $0) } : nil
            state.queue.append((line, lineNumber, index, key))
            if state.queue.count >= state.limit { state.holding = false }
            state.outcome.records += 1
            index += 1
            state.condition.broadcast()
            state.condition.unlock()
        }
        state.condition.lock()
        state.closed = true
        state.condition.broadcast()
        state.condition.unlock()
        finishedThreads.wait()

        state.condition.lock()
        if stopOnInterrupt && Interruption.requested { state.outcome.interrupted = true }
        if state.outcome.interrupted { state.outcome.records = state.written }
        writer.flush()
        let outcome = state.outcome
        state.condition.unlock()
        if outcome.errors > maxErrorMessages {
            printError("\(stage.name): \(outcome.errors - maxErrorMessages) more records with errors not shown")
        }
        return outcome
    }
}

/// What the reader and the workers of one parallel run share, under `condition`'s lock.
private final class ParallelRunState: @unchecked Sendable {
    let condition = NSCondition()
    let limit: Int
    var queue: [(line: LineReader.Line, number: Int, index: Int, key: String?)] = []
    var lastKey: String?
    var closed = false
    /// Workers wait until the read-ahead window is full or the input ends (`fillWindowFirst`).
    var holding = false
    var outcome = StageRunner.Outcome()
    var finished: [Int: (bytes: [UInt8], failed: Bool, earlier: Bool)] = [:]
    var nextToWrite = 0
    var written = 0
    var stopped = false
    init(limit: Int) { self.limit = limit }
}

/// One worker's stage, owned by its thread alone: the box lets the thread's closure mutate it
/// without capturing a `var`.
private final class WorkerBox<S: Stage>: @unchecked Sendable {
    var stage: S
    init(_ stage: S) { self.stage = stage }
}
