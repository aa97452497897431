import Testing
import LocoKit
import LocoPrompt
import LocoTestSupport

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
