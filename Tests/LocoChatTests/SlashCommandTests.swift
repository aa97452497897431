import Testing
@testable import LocoChat

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
