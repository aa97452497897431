import Testing
@testable import LocoChat
import LocoEngines
import LocoGen
import LocoPrompt
import LocoQuery
import LocoRegistry
import LocoRoute
import LocoTestSupport
import LocoVote

/// Notes and answers, kept for the test to read.
final class RecordedChat: ChatOutput {
    var notes: [String] = []
    func answer(_ piece: String) {}
    func endAnswer() {}
    func note(_ line: String) { notes.append(line) }
}

@Suite struct ChatRoutingTests {
    /// loco query's stages with the keyword router and an engine nobody listens on.
    static func session(_ registry: Registry) throws -> ChatSession {
        ChatSession(pipeline: QueryPipeline(route: try RouteStage(registry: registry, router: KeywordRouter(registry: registry)),
                                            prompt: PromptStage(registry: registry),
                                            generate: GenStage(backend: LlamaServerBackend(baseURL: "http://127.0.0.1:9", model: nil, timeout: 1),
                                                               samples: 1, temperature: 0, seed: 1, maxTokens: 64, startHint: ""),
                                            vote: VoteStage(registry: registry)))
    }

    func session() throws -> ChatSession { try ChatRoutingTests.session(try testRegistry()) }

    @Test func eachNewQuestionGetsItsRouteAndAFollowUpKeepsTheConversationsAdapter() throws {
        let chat = try session(), output = RecordedChat()
        #expect(try chat.chooseAdapter(for: "calculate 12 * 7", output: output) == "math-reasoning")
        #expect(try chat.chooseAdapter(for: "and then times two?", output: output) == "math-reasoning", "no evidence: a follow-up")
        #expect(try chat.chooseAdapter(for: "summarize this essay for me", output: output) == "writing-academic", "a new question")
        #expect(try chat.chooseAdapter(for: "summarize it shorter", output: output) == "writing-academic")
        #expect(output.notes.count == 2 && output.notes.allSatisfy { $0.hasPrefix("[routed to ") }, "a note only when the route changes: \(output.notes)")
        #expect(output.notes[1].hasPrefix("[routed to writing-academic (keyword "))
    }

    @Test func aProgramAnswerIsRunAndItsResultShown() throws {
        let registry = try Registry.parse(testRegistryYAML.replacingOccurrences(of: "    answer_format: number\n", with: "    answer_format: program\n"))
        let chat = try ChatRoutingTests.session(registry)
        let output = RecordedChat()
        try chat.showComputed("print(312 + 82)", adapter: "math-reasoning", output: output)
        try chat.showComputed("print(1/0)", adapter: "math-reasoning", output: output)
        #expect(output.notes == ["[ran it in the sandbox: 394]", "[ran it in the sandbox: no answer (ZeroDivisionError: division by zero)]"])
    }

    @Test func aPinnedAdapterAnswersEverythingUntilAuto() throws {
        let chat = try session(), output = RecordedChat()
        _ = try chat.apply(.adapter("none"), output: output)
        #expect(try chat.chooseAdapter(for: "calculate 12 * 7", output: output) == nil)
        _ = try chat.apply(.adapter("auto"), output: output)
        #expect(try chat.chooseAdapter(for: "calculate 12 * 7", output: output) == "math-reasoning")
        #expect(output.notes == ["[answering with the base model]", "[the next message is routed]", output.notes.last!])
    }
}
