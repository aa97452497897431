import LocoKit
import LocoAnswers
import LocoEngines

/// `loco-gen`: sends each record's prompt to the engine and adds `model`, `backend` and
/// `samples` [{text, tokens, ms, done_reason}].
public struct GenStage: Stage {
    public let name = "loco-gen"
    public var backend: GenerationBackend
    public var samples: Int
    public var temperature: Double
    public var seed: Int?
    public var maxTokens: Int
    /// Which engine to name in the one-line hint when it cannot be reached.
    public var startHint: String
    public var retry = RetryPolicy()
    /// Stop drawing once the leading answer cannot be overtaken by the samples still to come.
    /// Answers are read as loco-vote reads them, so the registry and format must match its.
    public var earlyStop = false
    /// Early stop by Adaptive-Consistency's Beta rule as well: stop once the leader is this sure
    /// (0.5 < c < 1), even where more samples could still overturn it. Implies early stop.
    public var stopConfidence: Double?
    public var registry: Registry?
    public var answerFormat: AnswerExtractor.Format?
    /// How a multiple-choice question is answered where its answer is read as a choice.
    public var choices: ChoiceAnswering = .score
    /// The engine's model name per adapter (`served_model` in the registry), for engines that
    /// serve adapters as models (vLLM). Adapters not listed use the base model.
    public var adapterModels: [String: String] = [:]
    /// Each adapter's GGUF LoRA (absolute path), for engines that apply one per request.
    public var adapterWeights: [String: String] = [:]
    /// Adapters whose LoRA cannot apply to the engine's model, with the reason: a record that asks
    /// for one is refused, rather than answered by a LoRA on the wrong base or silently without it.
    public var unusableAdapters: [String: String] = [:]
    /// Makes a backend of its own for each parallel worker (`makeWorker`).
    public var makeBackend: (() -> GenerationBackend)?
    /// Runs program answers when early stop counts their results; made on first use.
    public lazy var programs = ProgramRunner()
    /// The last record's program runs, in sample order, when early stop ran them.
    private var runs: [(text: String, run: ProgramAnswer)] = []
    private var reportedUnreachable = false
    private let tokens = TokenCounter()
    /// Options' scores after no question, shared by the stage's workers (ChoiceScoring.swift).
    let nullScores = NullScoreCache()
    /// Tokens generated so far by this stage and its workers, for progress lines.
    public var generatedTokens: Int { tokens.value }

    public init(backend: GenerationBackend, samples: Int, temperature: Double, seed: Int?, maxTokens: Int, startHint: String) {
        self.backend = backend
        self.samples = samples
        self.temperature = temperature
        self.seed = seed
        self.maxTokens = maxTokens
        self.startHint = startHint
    }

    /// The stage as every command sets it up (loco-gen, and the pipeline under loco query, loco
    /// run and loco eval): a backend per worker from `engines`, each adapter's LoRA or served model
    /// from `registry` when there is one, and early stop as asked.
    public init(engines: Engines, registry: Registry?, samples: Int, temperature: Double, seed: Int?, maxTokens: Int,
                earlyStop: Bool, stopConfidence: Double?) {
        self.init(backend: engines.make(), samples: samples, temperature: temperature, seed: seed, maxTokens: maxTokens,
                  startHint: engines.startHint)
        makeBackend = engines.make
        if let registry { use(registry, on: engines) }
        self.earlyStop = earlyStop
        self.stopConfidence = stopConfidence
    }

    /// What the stage takes from the registry: each adapter's LoRA or served model on these
    /// engines, and the answer formats early stop reads.
    public mutating func use(_ registry: Registry, on engines: Engines) {
        (adapterModels, adapterWeights) = engines.adapterMapping(registry)
        unusableAdapters = engines.unusableAdapters(registry)
        self.registry = registry
    }

    /// The LoRA (or served model) a record needs: switching it costs the engine a cache flush and
    /// a batch of its own, so a parallel run takes records with the same one back to back.
    public func groupKey(of record: JSONObject) -> String? {
        guard let adapter = record[.adapter]?.stringValue else { return "" }
        return adapterWeights[adapter] != nil || adapterModels[adapter] != nil ? adapter : ""
    }

    public var groupsRecords: Bool { !adapterWeights.isEmpty || !adapterModels.isEmpty }

    public func makeWorker() -> GenStage {
        var worker = self
        if let makeBackend { worker.backend = makeBackend() }
        return worker
    }

    /// The engine request for a prompted record: its prompt or messages, this stage's sampling,
    /// and its adapter's LoRA or served model.
    public func request(for record: JSONObject) throws -> GenerationRequest {
        var request = try GenStage.request(from: record, temperature: temperature, seed: seed, maxTokens: maxTokens)
        if let adapter = try record.optionalString(.adapter) {
            if let why = unusableAdapters[adapter] {
                throw RecordError("\(why); ask the base model instead (adapter null, or --adapter none)", field: .adapter)
            }
            request.model = adapterModels[adapter]
            request.lora = adapterWeights[adapter].map { LoRASelection(adapter: adapter, path: $0) }
        }
        return request
    }

    /// One answer to a prompted record, its text handed to `onText` as the engine produces it
    /// (loco chat); an engine that cannot stream hands it over whole.
    public func stream(_ record: JSONObject, onText: @escaping (String) -> Void) throws -> Sample {
        let request = try request(for: record)
        let start = answerStart(of: request)
        if !start.isEmpty { onText(start) }
        var sample: Sample
        if let streaming = backend as? StreamingBackend {
            sample = try streaming.stream(request, onText: onText)
        } else {
            sample = try backend.generate(request)
            onText(sample.text)
        }
        sample.text = start + sample.text
        return sample
    }

    /// What the engine's text continues: the record's `answer_start` where the engine reads the
    /// prompt that ends with it, else nothing (a chat engine answers the messages from the start).
    func answerStart(of request: GenerationRequest) -> String {
        backend.readsPrompt(of: request) ? request.answerStart ?? "" : ""
    }

    public mutating func process(_ record: inout JSONObject, line: Int) throws {
        let request = try request(for: record)
        do {
            let model = try request.model ?? backend.modelName()
            let options = try scorableOptions(of: record, request: request)
            let drawn = try options.map { [try score($0, line: line)] } ?? draw(request, for: record, line: line)
            tokens.add(drawn.reduce(0) { $0 + $1.tokens })
            record[.model] = .string(model)
            record[.backend] = .string(backend.name)
            if let lora = request.lora { record[.lora] = .string(lora.adapter) }
            if let pooled = backend as? PooledBackend, pooled.pool.urls.count > 1, let engine = pooled.lastEngine {
                record[.engine] = .string(engine)
            }
            record[.samples] = .array(drawn.enumerated().map { i, sample in
                guard i < runs.count, case .object(var object) = sample.json else { return sample.json }
                object["run"] = runs[i].run.json
                return .object(object)
            })
            if samples > 1 {
                var sampling: JSONObject = ["requested": JSONValue(samples), "drawn": JSONValue(drawn.count), "early_stop": .bool(earlyStop || stopConfidence != nil)]
                if let stopConfidence { sampling["stop_confidence"] = JSONValue(stopConfidence) }
                // A score is not a draw: asked again, the engine gives the same one.
                if options != nil { sampling["note"] = "options scored once: their likelihoods do not vary from sample to sample" }
                record[.sampling] = .object(sampling)
            }
        } catch let error as TransportError {
            if case .connectionRefused(let url) = error, !reportedUnreachable {
                reportedUnreachable = true
                printError("loco-gen: cannot reach \(backend.name) at \(url): \(startHint)")
            }
            throw RecordError("\(error)")
        } catch let error as EngineError {
            throw RecordError("\(error)")
        }
    }

    /// All samples in one batch; or, with early stop, a first batch just large enough to settle
    /// the vote (a majority of the requested samples) and then one more at a time. Sample i
    /// always gets seed + i, so an early-stopped vote equals the full vote on the same seed.
    private mutating func draw(_ request: GenerationRequest, for record: JSONObject, line: Int) throws -> [Sample] {
        let (retry, backend, start) = (self.retry, self.backend, answerStart(of: request))
        let batch = { (from: Int, count: Int) throws -> [Sample] in
            var r = request
            r.seed = request.seed.map { $0 + from }
            let drawn = try retry.run({ try backend.generate(r, count: count) }) { attempt, error, wait in
                printError("loco-gen: line \(line): \(error); retry \(attempt) of \(retry.retries) in \(String(format: "%.1f", wait)) s")
            }
            return start.isEmpty ? drawn : drawn.map { var sample = $0; sample.text = start + sample.text; return sample }
        }
        runs = []
        guard earlyStop || stopConfidence != nil, samples > 2 else { return try batch(0, samples) }
        let context = try AnswerExtractor.Context(of: record, registry: registry)
        let format = try answerFormat ?? AnswerExtractor.Format(for: record.optionalString(.adapter), registry: registry, context: context)
        var drawn: [Sample] = []
        var answers: [String?] = []
        var next = MajorityVote.firstBatch(samples: samples, confidence: stopConfidence)
        while drawn.count < samples {
            let new = try batch(drawn.count, next)
            if format == .program {
                // Programs vote with what they print: run each distinct one now, and keep the run for loco-vote.
                let ran = try new.map { sample in try runs.first { $0.text == sample.text }?.run ?? programs.answer(sample.text) }
                runs += zip(new, ran).map { (text: $0.text, run: $1) }
                answers += ran.map(\.value)
            } else {
                answers += new.map { AnswerExtractor.extract($0.text, format: format, context: context) }
            }
            drawn += new
            if MajorityVote.isSettled(answers, remaining: samples - drawn.count, confidence: stopConfidence) { break }
            next = 1
        }
        return drawn
    }

    /// Prefers the raw `prompt` for llama-server (base models have no chat template) and chat
    /// `messages` for Ollama; takes whichever the record has when only one is there.
    static func request(from record: JSONObject, temperature: Double, seed: Int?, maxTokens: Int) throws -> GenerationRequest {
        var request = GenerationRequest(temperature: temperature, seed: seed, maxTokens: maxTokens)
        if let value = record[.messages], !value.isNull {
            guard let list = value.arrayValue else { throw RecordError.wrongType(.messages, expected: "an array", got: value) }
            request.messages = try list.enumerated().map { index, item in
                guard let m = item.objectValue, let role = m["role"]?.stringValue, let content = m["content"]?.stringValue else {
                    throw RecordError("messages[\(index)] must be an object with string 'role' and 'content'", field: .messages)
                }
                return ChatMessage(role: role, content: content)
            }
        }
        request.prompt = try record.optionalString(.prompt)
        request.answerStart = try record.optionalString(.answerStart)
        if let start = request.answerStart, request.prompt?.hasSuffix(start) != true {
            throw RecordError("answer_start must be how prompt ends (loco-prompt writes both)", field: .answerStart)
        }
        if let value = record[.stop], !value.isNull {
            guard let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                throw RecordError.wrongType(.stop, expected: "an array of strings", got: value)
            }
            request.stop = list.compactMap(\.stringValue)
        }
        if request.messages == nil && request.prompt == nil {
            throw RecordError("missing field 'messages' or 'prompt' (run loco-prompt first)", field: .messages)
        }
        return request
    }
}

/// Shared by a stage and its parallel workers.
final class TokenCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return total }
    func add(_ n: Int) { lock.lock(); total += n; lock.unlock() }
}

import Foundation
import LocoRegistry
