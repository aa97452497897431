import Testing
@testable import LocoAnswers

@Suite struct ExtractionTests {
    @Test(arguments: [
        ("3/4", "0.75"), ("0.75", "0.75"), ("-1/2", "-0.5"), ("12%", "12"), ("$1,234.50", "1234.5"),
        ("18 eggs", "18"), ("-3.50", "-3.5"), ("1/3", "0.333333333333"),
    ])
    func numbersNormalise(raw: String, normal: String) {
        #expect(AnswerExtractor.normalizedNumber(raw) == normal)
    }

    @Test func mathTakesStatedAnswersInOrderOfStrength() {
        #expect(AnswerExtractor.extract("so \\boxed{3/4} is it", format: .number) == "0.75")
        #expect(AnswerExtractor.extract("9 * 2 = 18\n#### 18", format: .number) == "18")
        #expect(AnswerExtractor.extract("Answer: -7 degrees", format: .number) == "-7")
        #expect(AnswerExtractor.extract("No idea.", format: .number) == nil)
    }

    @Test func multipleChoiceTakesTheLetterOrTheOptionText() {
        let context = AnswerExtractor.Context(choices: ["Paris", "London", "Rome", "Berlin"])
        #expect(AnswerExtractor.extract("The answer is (C).", format: .choice, context: context) == "C")
        #expect(AnswerExtractor.extract("B) London", format: .choice, context: context) == "B")
        #expect(AnswerExtractor.extract("I think it is paris, clearly.", format: .choice, context: context) == "A")
        #expect(AnswerExtractor.extract("Answer: D", format: .choice, context: context) == "D")
        #expect(AnswerExtractor.extract("Answer: F", format: .choice, context: context) == nil)
        #expect(AnswerExtractor.extract("no clue", format: .choice, context: context) == nil)
    }

    @Test func classificationTakesTheFirstLabelNamed() {
        let context = AnswerExtractor.Context(labels: ["positive", "negative"])
        #expect(AnswerExtractor.extract("Negative. Not positive at all.", format: .label, context: context) == "negative")
        #expect(AnswerExtractor.extract("The sentiment is POSITIVE", format: .label, context: context) == "positive")
        #expect(AnswerExtractor.extract("positively meh", format: .label, context: context) == nil)
    }

    @Test func codeTakesTheFencedBlock() {
        let text = "Here you go:\n```python\ndef f(x):   \n    return x + 1\n```\nDone."
        #expect(AnswerExtractor.extract(text, format: .code) == "def f(x):\n    return x + 1")
        #expect(AnswerExtractor.extract("def g(): pass", format: .code) == "def g(): pass")
        #expect(AnswerExtractor.extract("  \n ", format: .code) == nil)
    }

    @Test func rougeLMatchesHandComputedValues() {
        // LCS of "the cat sat" and "the cat on the mat" is "the cat": P = 2/5, R = 2/3.
        #expect(abs(RougeL.f1("the cat sat", "the cat on the mat") - (2 * 0.4 * (2.0 / 3)) / (0.4 + 2.0 / 3)) < 1e-12)
        #expect(RougeL.f1("a b", "a b") == 1)
        #expect(RougeL.f1("", "a") == 0)
        #expect(RougeL.medoid(["the cat sat", "the cat sat down", "dogs bark loudly"])?.index == 0)
    }
}

@Suite struct ProgramTextTests {
    @Test(arguments: [
        (" print(221 + 173)", "print(221 + 173)"),
        (" x = 1\nprint(x)", "x = 1\nprint(x)"),
        ("    x = 1\n    print(x)", "x = 1\nprint(x)"),
        ("def f():\n    return 1\nprint(f())", "def f():\n    return 1\nprint(f())"),
        ("def f():\n    return 1", "def f():\n    return 1"),
    ])
    func aCompletionsLeadingSpaceIsNotAnIndentedBlock(written: String, run: String) {
        #expect(ProgramRunner.dedented(written) == run)
    }
}
