import Testing
import LocoEngines
import LocoGen
import LocoKit
import LocoPrompt
import LocoQuery
import LocoRegistry
import LocoRoute
import LocoVote
@testable import LocoChat

@Suite struct ConversationTests {
    @Test func earlierTurnsArePlainAndTheNewQuestionIsReadTwice() {
        let built = Conversation.build(system: "Be brief.", history: [ChatTurn(user: "Hi", assistant: "Hello!")],
                                     question: "What is 2+2?", reRead: true, budgetTokens: 1000)
        #expect(built.prompt == "Be brief.\n\nQ: Hi\nA: Hello!\nQ: What is 2+2?\nRead the question again: What is 2+2?\nA:")
        #expect(built.messages.map(\.role) == ["system", "user", "assistant", "user"])
        #expect(built.messages.last?.content == "What is 2+2?\nRead the question again: What is 2+2?")
        #expect(built.droppedTurns == 0)
    }

    @Test func theOldestTurnsGoWhenTheContextIsFull() {
        let history = (1...10).map { ChatTurn(user: "question \($0) " + String(repeating: "x", count: 60), assistant: "answer \($0)") }
        let built = Conversation.build(system: "", history: history, question: "last?", reRead: false, budgetTokens: 100)
        #expect(built.droppedTurns > 0)
        #expect(Conversation.estimatedTokens(built.prompt) <= 100)
        #expect(built.prompt.hasSuffix("Q: last?\nA:"))
        #expect(built.prompt.contains("answer 10") && !built.prompt.contains("answer 1\n"))
    }

    @Test func theQuestionStaysEvenWhenItAloneIsTooLong() {
        let built = Conversation.build(system: "", history: [ChatTurn(user: "a", assistant: "b")], question: String(repeating: "y", count: 900),
                                     reRead: false, budgetTokens: 10)
        #expect(built.droppedTurns == 1)
        #expect(built.prompt.contains(String(repeating: "y", count: 900)))
    }

    @Test func aChatsFirstQuestionIsPromptedExactlyAsLocoPromptDoesAndLaterOnesCarryTheTurns() throws {
        var stage = PromptStage(registry: try testRegistry())
        var piped: JSONObject = ["query": "calculate 12 * 7", "adapter": "math-reasoning"]
        try stage.process(&piped, line: 1)
        var chat: JSONObject = ["query": "calculate 12 * 7", "adapter": "math-reasoning"]
        #expect(try stage.converse(&chat, history: []) == 0)
        #expect(JSONWriter.string(.object(chat)) == JSONWriter.string(.object(piped)))

        var next: JSONObject = ["query": "and times two?", "adapter": "math-reasoning"]
        _ = try stage.converse(&next, history: [ChatTurn(user: "calculate 12 * 7", assistant: "84")])
        let prompt = try #require(next[.prompt]?.stringValue)
        #expect(prompt.hasPrefix(try stage.systemPrompt(for: "math-reasoning") + "\n\nQ: calculate 12 * 7\nA: 84\nQ: and times two?\n"))
        #expect(next[.messages]?.arrayValue?.count == 4)
    }
}

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

@Suite struct SlashCommandTests {
    @Test func commandsParse() throws {
        #expect(try SlashCommand.parse("What is /this?") == nil)
        #expect(try SlashCommand.parse("/adapter math-reasoning") == .adapter("math-reasoning"))
        #expect(try SlashCommand.parse("/votes 5") == .votes(5))
        #expect(try SlashCommand.parse("/re2 off") == .re2(false))
        #expect(try SlashCommand.parse("/clear") == .clear)
        #expect(try SlashCommand.parse("/stats") == .stats)
        #expect(try SlashCommand.parse("/help") == .help)
        #expect(try SlashCommand.parse("/quit") == .quit)
    }

    @Test(arguments: [("/votes 0", "/votes needs a number from 1 to 20"), ("/votes x", "/votes needs a number from 1 to 20"),
                      ("/re2 maybe", "/re2 takes on or off"), ("/adapter", "/adapter needs a name, auto or none"),
                      ("/nope now", "unknown command /nope: /help lists them")])
    func mistakesSayWhatIsExpected(line: String, message: String) {
        #expect(throws: ChatError.self) { try SlashCommand.parse(line) }
        do { _ = try SlashCommand.parse(line) } catch { #expect("\(error)" == message) }
    }
}

import LocoCLI

@Suite struct ProgressTests {
    @Test func shareDoneAndTimeLeft() {
        #expect(Progress.remaining(done: 25, total: 100, thisRun: 25, seconds: 50) == ", 25/100 (25%), about 2m30s left")
        // Resumed: 40 were done before; 10 this run in 20 s, 50 to go at 2 s each.
        #expect(Progress.remaining(done: 50, total: 100, thisRun: 10, seconds: 20) == ", 50/100 (50%), about 1m40s left")
        #expect(Progress.remaining(done: 100, total: 100, thisRun: 100, seconds: 9) == ", 100/100 (100%)")
        #expect(Progress.remaining(done: 0, total: 10, thisRun: 0, seconds: 0) == ", 0/10 (0%)")
        #expect(Progress.duration(7200 + 61) == "2h01m")
    }
}

import LocoGen
@testable import LocoScore
import LocoKit
import LocoAnswers
import LocoEngines
import LocoRegistry

/// A judge that answers from a list, one text per sample.
struct ScriptedJudge: GenerationBackend {
    let name = "scripted"
    let texts: [String]
    func modelName() throws -> String { "scripted" }
    func generate(_ request: GenerationRequest) throws -> Sample { Sample(text: texts[0], tokens: 1, ms: 0, doneReason: "stop") }
    func generate(_ request: GenerationRequest, count: Int) throws -> [Sample] {
        (0..<count).map { Sample(text: texts[$0 % texts.count], tokens: 1, ms: 0, doneReason: "stop") }
    }
}

@Suite struct JudgeTests {
    @Test func theFirstDigitFromOneToFiveIsTheGrade() {
        #expect(Judge.grade(in: " 4") == 4)
        #expect(Judge.grade(in: " Grade 0, no: 3") == 3)
        #expect(Judge.grade(in: " 7 out of 10") == nil)
        #expect(Judge.grade(in: " unsure") == nil)
    }

    @Test func gradesAverageToZeroToOneWithTheirSpread() throws {
        let judge = Judge(backend: ScriptedJudge(texts: [" 5", " 3", " 4"]))
        let verdict = try judge.judge(question: "q", answer: "a", reference: "r")
        #expect(verdict == Judge.Verdict(grades: [5, 3, 4], value: 0.75, spread: 2))
    }

    @Test func aJudgeThatNeverGradesIsAnError() {
        let judge = Judge(backend: ScriptedJudge(texts: [" hmm"]))
        #expect(throws: RecordError.self) { try judge.judge(question: "q", answer: "a", reference: nil) }
    }

    @Test func thePromptCarriesRubricQuestionReferenceAndAnswer() {
        let judge = Judge(backend: ScriptedJudge(texts: [" 1"]), rubric: "Be strict.")
        let prompt = judge.prompt(question: "2+2?", answer: "4", reference: nil)
        #expect(prompt == "You grade answers.\nRubric: Be strict.\n\nQuestion: 2+2?\nAnswer to grade: 4\n\nGrade from 1 (wrong) to 5 (fully correct).\nGrade:")
    }
}
