import Testing
import LocoKit
@testable import LocoAnswers

@Suite struct ShownOptionsTests {
    @Test func optionsLaidOutInLetteredLinesAreRead() {
        let pasted = "Creatures sometimes have barbs on their backs that they use to sting, all of these do, outside of the\n A. wasp\n B. bee\n C. scorpion\n D. butterfly"
        #expect(ShownOptions.options(in: pasted) == ["wasp", "bee", "scorpion", "butterfly"])
        #expect(ShownOptions.options(in: "Which is a mammal?\n(A) shark\n(B) whale\n(C) trout") == ["shark", "whale", "trout"])
        #expect(ShownOptions.options(in: "pick one\na) red\nb) blue") == ["red", "blue"])
        #expect(ShownOptions.options(in: "Best way to pierce ears.\nA: go to a professional\nB: a thick needle") == ["go to a professional", "a thick needle"])
    }

    @Test func linesThatAreNotAQuestionsOptionsAreNotRead() {
        // One lettered line, letters out of order, a case change midway, a letter that is a word.
        #expect(ShownOptions.options(in: "A. Smith wrote it.\nWhat year?").isEmpty)
        #expect(ShownOptions.options(in: "B. wasp\nC. bee").isEmpty)
        #expect(ShownOptions.options(in: "A. wasp\nC. bee").isEmpty)
        #expect(ShownOptions.options(in: "A. wasp\nb. bee").isEmpty)
        #expect(ShownOptions.options(in: "A cat sat.\nB is next.").isEmpty)
        #expect(ShownOptions.options(in: "What is 2 + 3?").isEmpty)
    }

    @Test func theStemIsTheQuestionWithoutItsOptions() {
        let pasted = ShownOptions(in: "Which is a mammal?\n A. shark\n B. whale\nAnswer with a letter.")
        #expect(pasted.options == ["shark", "whale"])
        #expect(pasted.stem == "Which is a mammal?\nAnswer with a letter.")
        #expect(ShownOptions(in: "What is 2 + 3?").stem == "What is 2 + 3?")
    }

    @Test func theLastRunOfOptionsIsTheQuestions() {
        let quiz = "Earlier:\nA. one\nB. two\nNow the question, which is bigger?\nA. 10\nB. 20\nC. 30"
        #expect(ShownOptions.options(in: quiz) == ["10", "20", "30"])
    }

    @Test func aRecordWithoutChoicesTakesTheOptionsItsQueryShows() throws {
        let shown: JSONObject = ["query": "Which is a mammal?\n A. shark\n B. whale"]
        #expect(try AnswerExtractor.Context(of: shown).choices == ["shark", "whale"])
        #expect(try AnswerExtractor.Format(for: nil, registry: nil, context: AnswerExtractor.Context(of: shown)) == .choice)
        let given: JSONObject = ["query": "Which is a mammal?\n A. shark\n B. whale", "choices": ["a shark", "a whale", "a trout"]]
        #expect(try AnswerExtractor.Context(of: given).choices == ["a shark", "a whale", "a trout"])
    }
}
