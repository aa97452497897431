import Testing
@testable import LocoPrompt
import LocoTestSupport

@Suite struct PromptTests {
    @Test func re2UsesThePapersWording() {
        #expect(RE2Prompt.userText("What is 2+3?", reRead: true) == "What is 2+3?\nRead the question again: What is 2+3?")
        #expect(RE2Prompt.userText("What is 2+3?", reRead: false) == "What is 2+3?")
        #expect(RE2Prompt.rawPrompt("Q1", system: "S", reRead: true) == "S\n\nQ: Q1\nRead the question again: Q1\nA:")
    }

    @Test func promptStageAddsMessagesPromptAndStrategy() throws {
        var stage = PromptStage(registry: try testRegistry())
        let (lines, outcome) = try runStage(&stage, input: #"{"query":"2+3?","adapter":"math-reasoning"}"# + "\n")
        #expect(outcome.exitCode == 0)
        let r = try object(lines[0])
        let messages = r["messages"]?.arrayValue ?? []
        #expect(messages.count == 2)
        #expect(messages[0].objectValue?["content"] == "Solve it.")
        #expect(messages[1].objectValue?["content"] == "2+3?\nRead the question again: 2+3?")
        #expect(r["prompt"] == "Solve it.\n\nQ: 2+3?\nRead the question again: 2+3?\nA:")
        #expect(r["strategy"] == ["re2"])
    }

    @Test func aMultipleChoiceIsAskedWithItsOptions() throws {
        var stage = PromptStage(registry: try testRegistry(), reRead: false)
        let (lines, _) = try runStage(&stage, input: #"{"query":"Which colour do you get by mixing blue and yellow?","choices":["red","green","purple"],"adapter":null}"# + "\n"
                                      + #"{"query":"Red, green or purple?","choices":["red","green","purple"],"adapter":null}"# + "\n")
        #expect(try object(lines[0])["messages"]?.arrayValue?[1].objectValue?["content"] == "Which colour do you get by mixing blue and yellow?\nA) red\nB) green\nC) purple")
        // Options the question already lists are not listed twice.
        #expect(try object(lines[1])["messages"]?.arrayValue?[1].objectValue?["content"] == "Red, green or purple?")
    }

    @Test func noRE2AndBaseModelSystemPrompt() throws {
        var stage = PromptStage(registry: try testRegistry(), reRead: false)
        let (lines, _) = try runStage(&stage, input: #"{"query":"hi","adapter":null}"# + "\n")
        let r = try object(lines[0])
        #expect(r["strategy"] == [])
        #expect(r["messages"]?.arrayValue?[0].objectValue?["content"] == .string(PromptStage.defaultBaseSystemPrompt))
    }

    @Test func anAdapterNamedNoneIsAnErrorThatSaysNullIsTheBaseModel() throws {
        var stage = PromptStage(registry: try testRegistry())
        let (lines, outcome) = try runStage(&stage, input: #"{"query":"hi","adapter":"none"}"# + "\n")
        #expect(outcome.exitCode == 1)
        let message = try object(lines[0])["error"]?.objectValue?["message"]?.stringValue ?? ""
        #expect(message.hasPrefix("unknown adapter 'none' (known: ") && message.hasSuffix(", or null for the base model)"), "\(message)")
    }
}
