import Testing
import LocoKit
import LocoQuery

@Suite struct QueryAnswerTests {
    func record(_ json: String) throws -> JSONObject { try #require(try JSONParser.parse(Array(json.utf8)).objectValue) }

    @Test func anAdapterWithItsLoRAIsNamedAndAVoteShowsItsAgreement() throws {
        let r = try record(#"{"adapter":"sentiment","lora":"sentiment","samples":[{"text":"  negative\n"},{"text":"negative"},{"text":"positive"}],"answer":"negative","agreement":0.6667}"#)
        #expect(QueryAnswer.render(r) == .success("[sentiment] negative\n\n(agreement 66%)"))
    }

    @Test func afterAVoteTheTextIsASampleThatGaveTheWinningAnswer() throws {
        let r = try record(#"{"adapter":null,"samples":[{"text":"9 + 8 = 19"},{"text":"It is 17."},{"text":"17"}],"answers":["19","17","17"],"answer":"17","agreement":0.6667}"#)
        #expect(QueryAnswer.render(r) == .success("[base model] It is 17.\n\nAnswer: 17  (agreement 66%)"))
    }

    @Test func anAnswerThatIsTheWholeTextIsPrintedOnce() throws {
        let r = try record(#"{"adapter":"writing-academic","lora":"writing-academic","samples":[{"text":" She doesn't like school. "}],"answer":"She doesn't like school."}"#)
        #expect(QueryAnswer.render(r) == .success("[writing-academic] She doesn't like school."))
    }

    @Test func codeTheTextShowsIsPrintedOnce() throws {
        let r = try record(#"{"adapter":"code-python","lora":"code-python","samples":[{"text":"```python\ndef add(a, b):\n    return a + b\n```"}],"answer":"def add(a, b):\n    return a + b"}"#)
        #expect(QueryAnswer.render(r) == .success("[code-python] ```python\ndef add(a, b):\n    return a + b\n```"))
    }

    @Test func anAdapterWithoutWeightsSaysTheBaseModelAnswered() throws {
        let r = try record(#"{"adapter":"math-reasoning","samples":[{"text":"14"}],"answer":"14","agreement":1}"#)
        #expect(QueryAnswer.render(r) == .success("[math-reasoning: no weights yet, the base model answered with its prompt] 14"))
    }

    @Test func theBaseModelAndAnAnswerThatIsNotAString() throws {
        let r = try record(#"{"adapter":null,"samples":[{"text":"Paris."}],"answer":null}"#)
        #expect(QueryAnswer.render(r) == .success("[base model] Paris.\n\nAnswer: null"))
    }

    @Test func anErrorRecordIsOneLineNamingTheStage() throws {
        let r = try record(#"{"query":"hi","error":{"stage":"loco-gen","message":"cannot connect to http://127.0.0.1:9/v1/models (connection refused)","line":1},"raw":"{}"}"#)
        #expect(QueryAnswer.render(r) == .failure(QueryFailure(message: "loco: loco-gen: cannot connect to http://127.0.0.1:9/v1/models (connection refused)")))
    }
}
