import Testing
import LocoEngines
import LocoKit
@testable import LocoScore

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
