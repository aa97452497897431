import Testing
@testable import LocoEngines
@testable import LocoGen
import LocoAnswers
@testable import LocoKit

@Suite struct GenTests {
    @Test func requestNeedsMessagesOrPromptOfTheRightShape() throws {
        #expect(throws: RecordError.self) { try GenStage.request(from: ["query": "q"], temperature: 0, seed: nil, maxTokens: 1) }
        #expect(throws: RecordError.wrongType("messages", expected: "an array", got: "x")) {
            try GenStage.request(from: ["messages": "x"], temperature: 0, seed: nil, maxTokens: 1)
        }
        #expect(throws: RecordError.wrongType("stop", expected: "an array of strings", got: [1])) {
            try GenStage.request(from: ["prompt": "p", "stop": [1]], temperature: 0, seed: nil, maxTokens: 1)
        }
        let r = try GenStage.request(from: ["prompt": "p", "stop": ["\nQ:"], "messages": [["role": "user", "content": "c"]]],
                                     temperature: 0.5, seed: 3, maxTokens: 9)
        #expect(r.prompt == "p")
        #expect(r.stop == ["\nQ:"])
        #expect(r.messages == [ChatMessage(role: "user", content: "c")])
        #expect(r.seed == 3 && r.maxTokens == 9 && r.temperature == 0.5)
    }

    /// A backend that answers from a script, to check what GenStage does with answers and failures.
    final class ScriptedBackend: GenerationBackend {
        let name = "scripted"
        var seeds: [Int?] = []
        var failWith: Error?
        func modelName() throws -> String { "scripted-model" }
        func generate(_ request: GenerationRequest) throws -> Sample {
            if let failWith { throw failWith }
            seeds.append(request.seed)
            return Sample(text: "t\(seeds.count)", tokens: 1, ms: 0, doneReason: "stop")
        }
    }

    @Test func samplesUseSuccessiveSeeds() throws {
        let backend = ScriptedBackend()
        var stage = GenStage(backend: backend, samples: 3, temperature: 0.7, seed: 10, maxTokens: 5, startHint: "")
        var record: JSONObject = ["prompt": "p"]
        try stage.process(&record, line: 1)
        #expect(backend.seeds == [10, 11, 12])
        #expect(record["samples"]?.arrayValue?.count == 3)
        #expect(record["model"] == "scripted-model")
        #expect(record["backend"] == "scripted")
    }

    /// Answers scripted by seed, to check when early stop stops.
    final class AnswersBySeed: GenerationBackend {
        let name = "scripted"
        let answers: [String]
        var drawn = 0
        init(_ answers: [String]) { self.answers = answers }
        func modelName() throws -> String { "m" }
        func generate(_ request: GenerationRequest) throws -> Sample {
            drawn += 1
            return Sample(text: "The answer is \(answers[request.seed!]).", tokens: 1, ms: 0, doneReason: "stop")
        }
    }

    @Test(arguments: [
        (["4", "4", "4", "9", "9"], 3),  // settled after the first majority
        (["4", "9", "4", "4", "9"], 4),  // 3-1 with one to go
        (["4", "9", "7", "4", "9"], 5),  // never settled
    ])
    func earlyStopDrawsOnlyWhatTheVoteNeeds(answers: [String], drawn: Int) throws {
        let backend = AnswersBySeed(answers)
        var stage = GenStage(backend: backend, samples: 5, temperature: 0.7, seed: 0, maxTokens: 5, startHint: "")
        stage.earlyStop = true
        stage.answerFormat = .number
        var record: JSONObject = ["prompt": "p"]
        try stage.process(&record, line: 1)
        #expect(backend.drawn == drawn)
        #expect(record["samples"]?.arrayValue?.count == drawn)
        #expect(record["sampling"] == ["requested": 5, "drawn": JSONValue(drawn), "early_stop": true])
    }

    @Test func engineFailuresBecomeRecordErrors() {
        let backend = ScriptedBackend()
        backend.failWith = TransportError.timedOut(url: "http://x", seconds: 2)
        var stage = GenStage(backend: backend, samples: 1, temperature: 0, seed: nil, maxTokens: 5, startHint: "")
        var record: JSONObject = ["prompt": "p"]
        #expect(throws: RecordError("no complete answer from http://x within 2 s")) { try stage.process(&record, line: 1) }
    }
}

/// Which questions loco-gen answers by scoring their options, and what it writes: the engine's
/// side is tested against the real llama-server (ChoiceScoringTests); here, the decision.
@Suite struct ChoiceDecisionTests {
    final class ScoringBackend: ContinuationScoring {
        let name = "scoring"
        var scored: [String] = []
        var generated = 0
        let scores: [String: Double]
        /// Each option's score after the prompt with no question.
        let alone: [String: Double]
        init(_ scores: [String: Double], alone: [String: Double] = [:]) {
            self.scores = scores
            self.alone = alone
        }
        static let nullPrompt = "Q: \nA:"
        func modelName() throws -> String { "m" }
        func generate(_ request: GenerationRequest) throws -> Sample {
            generated += 1
            return Sample(text: "I think B", tokens: 3, ms: 0, doneReason: "stop")
        }
        var prompts: [String?] = []
        func score(_ continuations: [String], after requests: [GenerationRequest]) throws -> [[ContinuationScore]] {
            requests.map { request in
                continuations.map { continuation in
                    scored.append(continuation)
                    prompts.append(request.prompt)
                    let value = request.prompt == Self.nullPrompt ? alone[continuation] : scores[continuation]
                    return ContinuationScore(logprob: value ?? -100, tokens: 2)
                }
            }
        }
    }

    let question: JSONObject = ["query": "Which is a mammal?\n A. shark\n B. whale", "prompt": "Q: Which is a mammal?\n A. shark\n B. whale\nA:",
                                "choice_prompt": "Q: Which is a mammal?\nA:"]

    @Test func theLikeliestOptionIsTheAnswer() throws {
        let backend = ScoringBackend([" shark": -6, " whale": -2])
        var stage = GenStage(backend: backend, samples: 1, temperature: 0, seed: 1, maxTokens: 8, startHint: "")
        var record = question
        try stage.process(&record, line: 1)
        #expect(backend.scored == [" shark", " whale"] && backend.generated == 0)
        #expect(backend.prompts == ["Q: Which is a mammal?\nA:", "Q: Which is a mammal?\nA:"], "after the choice prompt")
        let sample = try #require(record[.samples]?.arrayValue?.first?.objectValue)
        #expect(sample["text"] == "B. whale")
        #expect(sample["done_reason"] == "scored")
        #expect(sample["option_scores"] == [-6.0, -2.0])
    }

    @Test func theOptionTheQuestionMakesLikeliestWinsNotTheOneLikelyAnyway() throws {
        // " yes" is likelier after the question than " no", but more likely still after no question at all.
        let backend = ScoringBackend([" yes": -3, " no": -4], alone: [" yes": -1, " no": -6])
        var stage = GenStage(backend: backend, samples: 1, temperature: 0, seed: 1, maxTokens: 8, startHint: "")
        var record: JSONObject = ["query": "Is a whale a fish?\n A. yes\n B. no", "prompt": "Q: …\nA:",
                                  "choice_prompt": "Q: Is a whale a fish?\nA:", "choice_null_prompt": .string(ScoringBackend.nullPrompt)]
        try stage.process(&record, line: 1)
        // Every option after the question, then every option after none: each prompt is read once.
        #expect(backend.prompts == ["Q: Is a whale a fish?\nA:", "Q: Is a whale a fish?\nA:", ScoringBackend.nullPrompt, ScoringBackend.nullPrompt])
        #expect(backend.scored == [" yes", " no", " yes", " no"])
        let sample = try #require(record[.samples]?.arrayValue?.first?.objectValue)
        #expect(sample["text"] == "B. no")
        #expect(sample["option_scores"] == [-2.0, 2.0], "after the question less after none")
        // A record without a null prompt (written by hand, or before it existed) is scored by the sum.
        record[.choiceNullPrompt] = nil
        record[.samples] = nil
        try stage.process(&record, line: 1)
        #expect(record[.samples]?.arrayValue?.first?.objectValue?["text"] == "A. yes")
    }

    @Test func anOptionIsScoredAfterNoQuestionOnceARun() throws {
        let backend = ScoringBackend([" True": -3, " False": -4, " Unsure": -5], alone: [" True": -1, " False": -6, " Unsure": -2])
        var stage = GenStage(backend: backend, samples: 1, temperature: 0, seed: 1, maxTokens: 8, startHint: "")
        func quiz(_ question: String, _ options: [String], null: String = ScoringBackend.nullPrompt) throws -> JSONObject {
            var record: JSONObject = ["query": .string(question), "prompt": .string("Q: \(question)\nA:"), "choices": .array(options.map { .string($0) }),
                                      "choice_prompt": .string("Q: \(question)\nA:"), "choice_null_prompt": .string(null)]
            try stage.process(&record, line: 1)
            return record
        }
        let first = try quiz("Whales are fish.", ["True", "False"])
        #expect(backend.prompts.filter { $0 == ScoringBackend.nullPrompt }.count == 2)
        // The same options in the next question: scored after it, and their scores after no question kept.
        backend.prompts = []
        backend.scored = []
        let second = try quiz("Bats are mammals.", ["True", "False"])
        #expect(backend.prompts == ["Q: Bats are mammals.\nA:", "Q: Bats are mammals.\nA:"])
        #expect(first[.samples]?.arrayValue?.first?.objectValue?["option_scores"] == second[.samples]?.arrayValue?.first?.objectValue?["option_scores"])
        // Only an option not seen before is scored after no question; a worker shares what was kept.
        backend.prompts = []
        backend.scored = []
        var worker = stage.makeWorker()
        var third: JSONObject = ["query": "Is it raining?", "prompt": "Q: Is it raining?\nA:", "choices": ["True", "Unsure"],
                                 "choice_prompt": "Q: Is it raining?\nA:", "choice_null_prompt": .string(ScoringBackend.nullPrompt)]
        try worker.process(&third, line: 1)
        #expect(backend.scored == [" True", " Unsure", " Unsure"])
        #expect(third[.samples]?.arrayValue?.first?.objectValue?["option_scores"] == [-2.0, -3.0])
        // Another prompt with no question (another adapter's system prompt) is scored again.
        backend.prompts = []
        _ = try quiz("Whales are fish.", ["True", "False"], null: "Be brief.\n\nQ: \nA:")
        #expect(backend.prompts.filter { $0 == "Be brief.\n\nQ: \nA:" }.count == 2)
    }

    @Test func questionsWithoutOptionsOrAskedToWriteAreGenerated() throws {
        for (record, choices) in [(["prompt": "Q: 2 + 3?\nA:", "query": "2 + 3?"] as JSONObject, ChoiceAnswering.score), (question, .generate)] {
            let backend = ScoringBackend([:])
            var stage = GenStage(backend: backend, samples: 1, temperature: 0, seed: 1, maxTokens: 8, startHint: "")
            stage.choices = choices
            var r = record
            try stage.process(&r, line: 1)
            #expect(backend.scored.isEmpty && backend.generated == 1)
        }
    }

    @Test func moreOptionsThanLettersAreGenerated() throws {
        let backend = ScoringBackend([:])
        var stage = GenStage(backend: backend, samples: 1, temperature: 0, seed: 1, maxTokens: 8, startHint: "")
        var record: JSONObject = ["query": "Pick a number.", "prompt": "Q: Pick a number.\nA:", "choices": .array((1...11).map { .string("\($0)") })]
        try stage.process(&record, line: 1)
        #expect(backend.scored.isEmpty && backend.generated == 1)
    }

    @Test func chatMessagesAreGenerated() throws {
        let backend = ScoringBackend([:])
        var stage = GenStage(backend: backend, samples: 1, temperature: 0, seed: 1, maxTokens: 8, startHint: "")
        var record: JSONObject = ["query": question["query"]!, "messages": [["role": "user", "content": "Which is a mammal?"]]]
        try stage.process(&record, line: 1)
        #expect(backend.scored.isEmpty && backend.generated == 1)
    }
}

@Suite struct AnswerStartGenTests {
    @Test func aSampleIsTheAnswersStartAndWhatTheEngineWroteAfterIt() throws {
        let backend = GenTests.ScriptedBackend()
        var stage = GenStage(backend: backend, samples: 2, temperature: 0.7, seed: 1, maxTokens: 5, startHint: "")
        var record: JSONObject = ["prompt": "Q: finish f\nA: def f():\n    ", "answer_start": " def f():\n    "]
        try stage.process(&record, line: 1)
        #expect(record["samples"]?.arrayValue?.map { $0.objectValue?["text"] } == [" def f():\n    t1", " def f():\n    t2"])
        var streamed = ""
        let sample = try stage.stream(record) { streamed += $0 }
        #expect(sample.text == " def f():\n    t3" && streamed == sample.text)
    }

    @Test func aChatEngineAnswersTheMessagesFromTheStart() throws {
        var stage = GenStage(backend: GenTests.ScriptedBackend(), samples: 1, temperature: 0, seed: 1, maxTokens: 5, startHint: "")
        var record: JSONObject = ["prompt": "A: def f():\n", "answer_start": " def f():\n",
                                  "messages": [["role": "user", "content": "finish f"]]]
        try stage.process(&record, line: 1)
        #expect(record["samples"]?.arrayValue?.first?.objectValue?["text"] == "t1")
    }

    @Test func anAnswerStartThePromptDoesNotEndWithIsRefused() {
        #expect(throws: RecordError("answer_start must be how prompt ends (loco-prompt writes both)", field: "answer_start")) {
            try GenStage.request(from: ["prompt": "Q: x\nA:", "answer_start": " def f():"], temperature: 0, seed: nil, maxTokens: 1)
        }
    }
}
