import Foundation
import LocoGen
import LocoQuery
import LocoKit
import LocoPrompt
import LocoRoute
import LocoVote
import LocoAnswers
import LocoEngines
import LocoRegistry

/// Where a chat's words go: the answer as it streams, and the notes around it (route, trimmed
/// history, stats, errors).
public protocol ChatOutput: AnyObject {
    func answer(_ piece: String)
    func endAnswer()
    func note(_ line: String)
}

/// A conversation with the routed stack. Every message is routed: a message the router is sure of
/// gets its own adapter (a new question), and one it is not sure of (a follow-up such as "and in
/// French?", which the router sends to the base model only for want of evidence) keeps the adapter
/// the conversation has. `/adapter NAME` pins one on purpose; `/adapter auto` routes again.
public final class ChatSession {
    public struct Settings {
        /// Tokens the conversation may fill, answer included (the engine's context per slot).
        public var contextTokens = 1536
        /// How samples are drawn; the temperature follows `Sampling`'s rule as /votes N changes.
        public var sampling = Sampling()
        public init() {}
    }

    enum Mode: Equatable { case auto, fixed(String?) }

    public var settings: Settings
    /// The stages loco query chains, asked one at a time: route each message, prompt it with the
    /// turns before it, generate (streamed when there is one sample), vote.
    var pipeline: QueryPipeline
    var registry: Registry { pipeline.prompt.registry }
    var mode: Mode = .auto
    /// The adapter that answered last; nil before the first answer (`.some(nil)` is the base model).
    var adapter: String?? = nil
    public private(set) var history: [ChatTurn] = []
    var reportedDrop = 0
    var totals = (turns: 0, tokens: 0, seconds: 0.0, adapters: [String: Int]())

    /// `pipeline` as QueryPipeline sets it up for loco query (its forced adapter, if any, is ignored:
    /// the session pins adapters itself, `forcedAdapter` or /adapter NAME).
    public init(pipeline: QueryPipeline, forcedAdapter: String? = nil, settings: Settings = Settings()) {
        self.pipeline = pipeline
        self.pipeline.route.forcedAdapter = nil
        self.settings = settings
        if let forcedAdapter { mode = .fixed(forcedAdapter == "none" ? nil : forcedAdapter) }
    }

    var votes: Int { pipeline.generate.samples }

    /// Handles one line of input; false when the user asked to leave.
    public func handle(_ raw: String, output: ChatOutput) -> Bool {
        let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !line.isEmpty else { return true }
        do {
            if let command = try SlashCommand.parse(line) { return try apply(command, output: output) }
            try ask(line, output: output)
        } catch is Interrupted {
            output.endAnswer()
            output.note("[stopped]")
        } catch {
            output.note("error: \(error)")
        }
        return true
    }

    func apply(_ command: SlashCommand, output: ChatOutput) throws -> Bool {
        switch command {
        case .adapter("auto"):
            mode = .auto
            adapter = nil
            output.note("[the next message is routed]")
        case .adapter(let name):
            let chosen: String? = name == "none" ? nil : name
            if let chosen, registry[chosen] == nil {
                throw ChatError("no adapter '\(chosen)'; the registry has \(registry.names.joined(separator: ", "))")
            }
            mode = .fixed(chosen)
            adapter = .some(chosen)
            output.note("[answering with \(ChatSession.label(chosen))]")
        case .votes(let n):
            pipeline.generate.samples = n
            output.note(n == 1 ? "[one streamed answer per message]" : "[\(n) samples per message, majority answer]")
        case .re2(let on):
            pipeline.prompt.reRead = on
            output.note("[RE2 \(on ? "on" : "off")]")
        case .clear:
            history = []
            reportedDrop = 0
            if mode == .auto { adapter = nil }
            output.note("[conversation cleared]")
        case .stats:
            let rate = totals.seconds > 0 ? Double(totals.tokens) / totals.seconds : 0
            let used = totals.adapters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            output.note(String(format: "[%d turns, %d tokens in %.1f s, %.1f tokens/s; %@; votes %d, RE2 %@]",
                               totals.turns, totals.tokens, totals.seconds, rate, used.isEmpty ? "no answers yet" : used,
                               votes, pipeline.prompt.reRead ? "on" : "off"))
        case .help:
            output.note(SlashCommand.summary)
        case .quit:
            return false
        }
        return true
    }

    static func label(_ adapter: String?) -> String { adapter ?? "the base model" }

    func chooseAdapter(for question: String, output: ChatOutput) throws -> String? {
        if case .fixed(let name) = mode { return name }
        var record: JSONObject = ["query": .string(question)]
        try pipeline.route.process(&record, line: 0)
        let chosen = try record.optionalString(.adapter)
        let route = record[.route]?.objectValue
        // Below the threshold, or no evidence at all (a keyword router that matched nothing).
        let unsure = route?["fallback"] != nil || route?["confidence"]?.doubleValue == 0
        if let current = adapter, unsure || chosen == current { return current }
        let how = [route?["router"]?.stringValue, route?["confidence"]?.doubleValue.map { String(format: "%.2f", $0) }].compactMap { $0 }.joined(separator: " ")
        let fallback = route?["fallback"]?.stringValue.map { "; \($0)" } ?? ""
        output.note("[routed to \(ChatSession.label(chosen)) (\(how)\(fallback))]")
        adapter = .some(chosen)
        return chosen
    }

    func ask(_ question: String, output: ChatOutput) throws {
        let chosen = try chooseAdapter(for: question, output: output)
        var record: JSONObject = ["query": .string(question), "adapter": JSONValue(chosen)]
        let dropped = try pipeline.prompt.converse(&record, history: history,
                                                  budgetTokens: max(64, settings.contextTokens - pipeline.generate.maxTokens))
        if dropped > reportedDrop {
            output.note("[history trimmed: the oldest \(dropped) turn(s) no longer fit the \(settings.contextTokens)-token context]")
            reportedDrop = dropped
        }
        pipeline.generate.temperature = settings.sampling.temperature(samples: votes)
        let started = Date()
        let (text, tokens) = votes > 1 ? try voted(record, output: output) : try streamed(record, output: output)
        if votes <= 1, let chosen, registry[chosen]?.answerFormat == AnswerExtractor.Format.program.rawValue {
            try showComputed(text, adapter: chosen, output: output)
        }
        let seconds = Date().timeIntervalSince(started)
        history.append(ChatTurn(user: question, assistant: text))
        totals.turns += 1
        totals.tokens += tokens
        totals.seconds += seconds
        totals.adapters[ChatSession.label(chosen), default: 0] += 1
        let lora = chosen.map { pipeline.generate.adapterWeights[$0] != nil } ?? false
        output.note(String(format: "[%@ · %d tokens · %.1f tokens/s · %.2f s]", ChatSession.label(chosen) + (lora ? " (LoRA)" : ""),
                           tokens, seconds > 0 ? Double(tokens) / seconds : 0, seconds))
    }

    /// One answer, shown as it is generated (leading blanks dropped).
    func streamed(_ record: JSONObject, output: ChatOutput) throws -> (String, Int) {
        var shown = ""
        let sample = try pipeline.generate.stream(record) { piece in
            let visible = shown.isEmpty ? String(piece.drop { $0 == " " || $0 == "\n" }) : piece
            guard !visible.isEmpty else { return }
            shown += visible
            output.answer(visible)
        }
        output.endAnswer()
        return (sample.text.trimmingCharacters(in: .whitespacesAndNewlines), sample.tokens)
    }

    /// An adapter that answers with a program: the program shown, then what the sandbox computed,
    /// read exactly as loco-vote reads it.
    func showComputed(_ text: String, adapter: String, output: ChatOutput) throws {
        var record: JSONObject = ["adapter": .string(adapter), "samples": [["text": .string(text)]]]
        try pipeline.vote.process(&record, line: 0)
        let run = record[.runs]?.arrayValue?.first?.objectValue
        if let answer = record[.answer]?.stringValue {
            output.note("[ran it in the sandbox: \(answer)]")
        } else {
            output.note("[ran it in the sandbox: no answer (\(run?["ended"]?.stringValue ?? "no program"))]")
        }
    }

    /// Samples drawn and voted on exactly as loco query does (early stop included); the first
    /// sample that gave the winning answer is shown.
    func voted(_ record: JSONObject, output: ChatOutput) throws -> (String, Int) {
        var record = record
        try pipeline.generate.process(&record, line: 0)
        try pipeline.vote.process(&record, line: 0)
        let samples = record[.samples]?.arrayValue?.compactMap(\.objectValue) ?? []
        let answers = record[.answers]?.arrayValue?.map(\.stringValue) ?? []
        let winner = record[.answer]?.stringValue
        let index = winner.flatMap { w in answers.firstIndex { $0 == w } } ?? 0
        let text = (index < samples.count ? samples[index]["text"]?.stringValue ?? "" : "").trimmingCharacters(in: .whitespacesAndNewlines)
        output.answer(text)
        output.endAnswer()
        if let winner {
            let count = answers.filter { $0 == winner }.count
            output.note("[votes: \(count) of \(samples.count) samples agree on \(winner)]")
        } else {
            output.note("[votes: no sample stated an answer; showing the first]")
        }
        return (text, samples.reduce(0) { $0 + ($1["tokens"]?.intValue ?? 0) })
    }
}
