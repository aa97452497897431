import Testing
@testable import LocoRoute

/// The request a user wrote, told apart from what it carries, in the forms routing used to miss.
@Suite struct RequestSplitTests {
    @Test(arguments: [
        // A sentence to work on, after a colon or in quotes: the request is the verb.
        ("Proofread: Their are many reason to go.", "Proofread:", "Their are many reason to go.", RequestSplit.Kind.prose),
        ("Rewrite this sentence more formally: the results was kinda bad", "Rewrite this sentence more formally:", "the results was kinda bad", .prose),
        ("rephrase \"the cat sat on the mat all day\" pls", "rephrase  pls", "the cat sat on the mat all day", .prose),
        ("Paraphrase “We find no effect of the drug on sleep.”", "Paraphrase", "We find no effect of the drug on sleep.", .prose),
        // A snippet: its numbers are the payload's, not the request's.
        ("What does this print?\nx = [1, 2, 3]\nprint(sum(x) * 10)", "What does this print?", "x = [1, 2, 3]\nprint(sum(x) * 10)", .code),
        ("What error does this raise?\n```python\nd = {}\nd['a'] += 1\n```", "What error does this raise?", "d = {}\nd['a'] += 1", .code),
        // Numbers to work on.
        ("Calculate: 221 + 173 - 40", "Calculate:", "221 + 173 - 40", .numbers),
        // Material labelled as such, under or over the request.
        ("Review: the plot drags and the jokes fall flat\nPositive or negative?", "Positive or negative?", "the plot drags and the jokes fall flat", .prose),
        // A short request over a long paste.
        ("summarize this for me\nThe committee met on Tuesday to discuss the budget for next year and agreed to raise fees by a small amount for all members.",
         "summarize this for me", "The committee met on Tuesday to discuss the budget for next year and agreed to raise fees by a small amount for all members.", .prose),
    ])
    func theRequestIsReadApartFromWhatItCarries(query: String, request: String, payload: String, kind: RequestSplit.Kind) {
        let split = RequestSplit(query)
        #expect(split.request == request)
        #expect(split.payload == payload)
        #expect(split.kind == kind)
        #expect(split.found != nil)
    }

    @Test(arguments: [
        "How many tails does a cat have?",
        "what's 221 + 173?",
        "Janet has 3 apples. She buys 5 more. How many apples does she have now?",
        "Question: what is the capital of France?",
        "Is it 10:30 yet? see http://example.com",
        "give me a thesis statement for climate change",
    ])
    func aQueryThatCarriesNothingIsAllRequest(query: String) {
        let split = RequestSplit(query)
        #expect(split.kind == nil && split.payload.isEmpty && split.found == nil, "\(split)")
    }

    @Test func splitFeaturesAddTheRequestsWordsAndThePayloadsKindToTheWholeQuerys() {
        let query = "Proofread: Their are many reason to go."
        let whole = TextFeatures.named(query)
        let split = TextFeatures.named(query, reading: .requestAndPayload)
        #expect(Set(whole.keys).isSubset(of: Set(split.keys)))
        #expect(split["r:proofread"] != nil && split["k:prose"] != nil)
        #expect(split["r:reason"] == nil, "the payload's words are not the request's")
        func same(_ a: [String: Double], _ b: [String: Double]) -> Bool {
            Set(a.keys) == Set(b.keys) && a.allSatisfy { abs($0.value - b[$0.key]!) < 1e-12 }
        }
        #expect(same(TextFeatures.named(query, reading: .whole), whole))
        // A query that carries nothing reads the same either way.
        #expect(same(TextFeatures.named("How many tails does a cat have?", reading: .requestAndPayload), TextFeatures.named("How many tails does a cat have?")))
    }
}
