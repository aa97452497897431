import LocoKit
import LocoQuery
import Testing

@Suite struct QueryAnswerTests {
    func record(_ json: String) throws -> JSONObject { try #require(try JSONParser.parse(Array(json.utf8)).objectValue) }

    @Test func anAdapterWithItsLoRAIsNamedAndAVoteShowsItsAgreement() throws {
        let r = try record(#"{"adapter":"sentiment","lora":"sentiment","samples":[{"text":"  negative\n"},{"text":"negative"},{"text":"positive"}],"answer":"negative","agreement":0.6667}"#)
        #expect(QueryAnswer.render(r) == .success("[sentiment] negative\n\nAnswer: negative  (agreement 66%)"))
    }

    @Test func anAdapterWithoutWeightsSaysTheBaseModelAnswered() throws {
        let r = try record(#"{"adapter":"math-reasoning","samples":[{"text":"14"}],"answer":"14","agreement":1}"#)
        #expect(QueryAnswer.render(r) == .success("[math-reasoning: no weights yet, the base model answered with its prompt] 14\n\nAnswer: 14"))
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
