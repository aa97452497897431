import Foundation
import LocoGen
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
        public var temperature = 0.0
        public var seed: Int? = 1
        public var maxTokens = 256
        /// Tokens the conversation may fill, answer included (the engine's context per slot).
        public var contextTokens = 1536
        public var votes = 1
        public var reRead = true
        public init() {}
    }

    enum Mode: Equatable { case auto, fixed(String?) }

    public var settings: Settings
    let registry: Registry
    var router: RouteStage
    let backend: GenerationBackend
    let adapterModels: [String: String]
    let adapterWeights: [String: String]
    var mode: Mode = .auto
    /// The adapter that answered last; nil before the first answer (`.some(nil)` is the base model).
    var adapter: String?? = nil
    public private(set) var history: [ChatTurn] = []
    var reportedDrop = 0
    var totals = (turns: 0, tokens: 0, seconds: 0.0, adapters: [String: Int]())

    public init(registry: Registry, router: RouteStage, backend: GenerationBackend, adapterModels: [String: String] = [:],
                adapterWeights: [String: String] = [:], forcedAdapter: String? = nil, settings: Settings = Settings()) {
        self.registry = registry
        self.router = router
        self.backend = backend
        self.adapterModels = adapterModels
        self.adapterWeights = adapterWeights
        self.settings = settings
        if let forcedAdapter { mode = .fixed(forcedAdapter == "none" ? nil : forcedAdapter) }
    }

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
            settings.votes = n
            output.note(n == 1 ? "[one streamed answer per message]" : "[\(n) samples per message, majority answer]")
        case .re2(let on):
            settings.reRead = on
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
                               settings.votes, settings.reRead ? "on" : "off"))
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
        try router.process(&record, line: 0)
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
        let system = chosen.flatMap { registry[$0]?.systemPrompt } ?? PromptStage.defaultBaseSystemPrompt
        let built = ChatPrompt.build(system: system, history: history, question: question, reRead: settings.reRead,
                                     budgetTokens: max(64, settings.contextTokens - settings.maxTokens))
        if built.droppedTurns > reportedDrop {
            output.note("[history trimmed: the oldest \(built.droppedTurns) turn(s) no longer fit the \(settings.contextTokens)-token context]")
            reportedDrop = built.droppedTurns
        }
        var request = GenerationRequest(messages: built.messages.map { ChatMessage(role: $0.role, content: $0.content) }, prompt: built.prompt,
                                        stop: RE2Prompt.rawStops, temperature: settings.temperature, seed: settings.seed, maxTokens: settings.maxTokens)
        if let chosen {
            request.model = adapterModels[chosen]
            request.lora = adapterWeights[chosen].map { LoRASelection(adapter: chosen, path: $0) }
        }
        let started = Date()
        let (text, tokens) = settings.votes > 1 ? try voted(request, adapter: chosen, output: output) : try streamed(request, output: output)
        if settings.votes <= 1, let chosen, registry[chosen]?.answerFormat == AnswerExtractor.Format.program.rawValue {
            try showComputed(text, adapter: chosen, output: output)
        }
        let seconds = Date().timeIntervalSince(started)
        history.append(ChatTurn(user: question, assistant: text))
        totals.turns += 1
        totals.tokens += tokens
        totals.seconds += seconds
        totals.adapters[ChatSession.label(chosen), default: 0] += 1
        output.note(String(format: "[%@ · %d tokens · %.1f tokens/s · %.2f s]", ChatSession.label(chosen) + (request.lora != nil ? " (LoRA)" : ""),
                           tokens, seconds > 0 ? Double(tokens) / seconds : 0, seconds))
    }

    /// One answer, shown as it is generated (leading blanks dropped).
    func streamed(_ request: GenerationRequest, output: ChatOutput) throws -> (String, Int) {
        var shown = ""
        let show = { (piece: String) in
            let visible = shown.isEmpty ? String(piece.drop { $0 == " " || $0 == "\n" }) : piece
            guard !visible.isEmpty else { return }
            shown += visible
            output.answer(visible)
        }
        let sample: Sample
        if let streaming = backend as? StreamingBackend {
            sample = try streaming.stream(request, onText: show)
        } else {
            sample = try backend.generate(request)
            show(sample.text)
        }
        output.endAnswer()
        return (sample.text.trimmingCharacters(in: .whitespacesAndNewlines), sample.tokens)
    }

    /// An adapter that answers with a program: the program shown, then what the sandbox computed,
    /// read exactly as loco-vote reads it.
    func showComputed(_ text: String, adapter: String, output: ChatOutput) throws {
        var record: JSONObject = ["adapter": .string(adapter), "samples": [["text": .string(text)]]]
        var vote = VoteStage(registry: registry)
        try vote.process(&record, line: 0)
        let run = record[.runs]?.arrayValue?.first?.objectValue
        if let answer = record[.answer]?.stringValue {
            output.note("[ran it in the sandbox: \(answer)]")
        } else {
            output.note("[ran it in the sandbox: no answer (\(run?["ended"]?.stringValue ?? "no program"))]")
        }
    }

    /// N samples drawn together and voted on exactly as loco-vote does; the first sample that
    /// gave the winning answer is shown.
    func voted(_ request: GenerationRequest, adapter: String?, output: ChatOutput) throws -> (String, Int) {
        var request = request
        request.temperature = max(request.temperature, defaultVotingTemperature)
        let samples = try backend.generate(request, count: settings.votes)
        var record: JSONObject = ["adapter": JSONValue(adapter), "samples": .array(samples.map(\.json))]
        var vote = VoteStage(registry: registry)
        try vote.process(&record, line: 0)
        let answers = record[.answers]?.arrayValue?.map(\.stringValue) ?? []
        let winner = record[.answer]?.stringValue
        let index = winner.flatMap { w in answers.firstIndex { $0 == w } } ?? 0
        let text = samples[index].text.trimmingCharacters(in: .whitespacesAndNewlines)
        output.answer(text)
        output.endAnswer()
        if let winner {
            let count = answers.filter { $0 == winner }.count
            output.note("[votes: \(count) of \(samples.count) samples agree on \(winner)]")
        } else {
            output.note("[votes: no sample stated an answer; showing the first]")
        }
        return (text, samples.reduce(0) { $0 + $1.tokens })
    }
}
