import Testing
@testable import LocoAnswers
@testable import LocoKit

/// GLEU as JFLEG scores it. The expected values are what JFLEG's own sentence-level scorer
/// (keisks/jfleg eval/gleu.py at ee06ff8, 2,000 iterations of a random correction per sentence)
/// printed for these sentences, to six places; the first is JFLEG's first dev sentence with its
/// four corrections.
@Suite struct GleuTests {
    static let original = "So I think we can not live if old people could not find siences and tecnologies and they did not developped ."
    static let corrections = [
        "So I think we can not live if old people could not find science and technologies and they did not develop .",
        "So I think we could not live if older people did not develop science and technologies .",
        "So I think we can not live if old people could not find science and technologies and they did not develop .",
        "So I think we can not live if old people can not find the science and technology that has not been developed .",
    ]

    @Test(arguments: [
        (corrections[0], 0.587105),
        (original, 0.213619),
        ("I think we cannot live without science .", 0.060000),
    ])
    func matchesJFLEGsScorerOnItsFirstSentence(answer: String, expected: Double) {
        #expect(abs(Gleu.score(answer: answer, original: Self.original, corrections: Self.corrections) - expected) < 5e-7)
    }

    @Test(arguments: [("There are many reasons to go .", 1.0), ("Their are many reason to go .", 0.244462), ("Their are many reasons to go .", 0.680375)])
    func fixingMoreOfWhatTheCorrectorFixedScoresHigher(answer: String, expected: Double) {
        #expect(abs(Gleu.score(answer: answer, original: "Their are many reason to go .", corrections: ["There are many reasons to go ."]) - expected) < 5e-7)
    }

    @Test func anAnswerIsTokenizedAsJFLEGsSentencesAre() {
        #expect(Gleu.tokens("There are many reasons to go.") == ["There", "are", "many", "reasons", "to", "go", "."])
        #expect(Gleu.score(answer: "There are many reasons to go.", original: "Their are many reason to go .", corrections: ["There are many reasons to go ."]) == 1)
    }
}
