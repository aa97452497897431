import Testing
@testable import LocoEngines
@testable import LocoKit
import LocoRegistry

@Suite struct EngineResponseTests {
    @Test func ollamaStreamJoinsChunksAndReadsTheFinalOne() throws {
        let body = """
            {"model":"m","created_at":"2026-11-26T10:00:00.123456789Z","message":{"role":"assistant","content":"Hel"},"done":false}
            {"model":"m","message":{"role":"assistant","content":"lo"},"done":false}
            {"model":"m","message":{"role":"assistant","content":"!"},"done":true,"done_reason":"length","eval_count":3}

            """
        let sample = try OllamaBackend.parseStream(Array(body.utf8))
        #expect(sample == Sample(text: "Hello!", tokens: 3, ms: 0, doneReason: "length"))
    }

    @Test func ollamaFinalChunkMayOmitMetrics() throws {
        let sample = try OllamaBackend.parseStream(Array(#"{"response":"x","done":true}"#.utf8))
        #expect(sample == Sample(text: "x", tokens: 0, ms: 0, doneReason: "stop"))
    }

    @Test func ollamaErrorLineOrCutStreamIsAnError() {
        #expect(throws: EngineError.server(status: 200, message: "boom")) {
            try OllamaBackend.parseStream(Array("{\"response\":\"a\",\"done\":false}\n{\"error\":\"boom\"}\n".utf8))
        }
        #expect(throws: EngineError.badResponse("the stream ended before its final chunk")) {
            try OllamaBackend.parseStream(Array("{\"response\":\"a\",\"done\":false}\n".utf8))
        }
    }

    @Test func llamaServerCompletionFields() throws {
        let o = try #require(try JSONParser.parse(#"{"content":" 4","tokens_predicted":2,"stop_type":"limit"}"#).objectValue)
        #expect(try LlamaServerBackend.parseCompletion(o) == Sample(text: " 4", tokens: 2, ms: 0, doneReason: "length"))
        let eos = try #require(try JSONParser.parse(#"{"content":"x","timings":{"predicted_n":5},"stop_type":"eos"}"#).objectValue)
        #expect(try LlamaServerBackend.parseCompletion(eos).tokens == 5)
        #expect(try LlamaServerBackend.parseCompletion(eos).doneReason == "stop")
    }
}

@Suite struct OpenAIFormatTests {
    @Test func eventsAreJoinedAndTheUsageEventRead() throws {
        let body = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"length"}]}

            data: {"choices":[],"usage":{"completion_tokens":2}}

            data: [DONE]

            """
        let sample = try OpenAIBackend.parseEvents(Array(body.utf8))
        #expect(sample == Sample(text: "Hello", tokens: 2, ms: 0, doneReason: "length"))
    }

    @Test func aStreamWithoutItsLastEventOrWithAnErrorEventIsAnError() {
        #expect(throws: EngineError.badResponse("the event stream ended before its last event")) {
            try OpenAIBackend.parseEvents(Array(#"data: {"choices":[{"delta":{"content":"Hi"},"finish_reason":null}]}"#.utf8))
        }
        #expect(throws: EngineError.server(status: 200, message: "overloaded")) {
            try OpenAIBackend.parseEvents(Array(#"data: {"error":{"message":"overloaded"}}"#.utf8))
        }
    }

    @Test func chatAndCompletionAnswersAreRead() throws {
        let chat = #"{"choices":[{"message":{"content":"A"},"finish_reason":"stop"}],"usage":{"completion_tokens":1}}"#
        #expect(try OpenAIBackend.parseAnswer(Array(chat.utf8)) == Sample(text: "A", tokens: 1, ms: 0, doneReason: "stop"))
        let completion = #"{"choices":[{"text":"B","finish_reason":"length"}]}"#
        #expect(try OpenAIBackend.parseAnswer(Array(completion.utf8)) == Sample(text: "B", tokens: 0, ms: 0, doneReason: "length"))
        #expect(throws: EngineError.self) { try OpenAIBackend.parseAnswer(Array(#"{"choices":[]}"#.utf8)) }
    }
}

@Suite struct EnginePoolTests {
    @Test func requestsGoToTheEngineWithFewestInFlightAndSpreadEvenly() {
        let pool = EnginePool(urls: ["http://a", "http://b", "http://c"])
        let first = pool.acquire(excluding: []).member, second = pool.acquire(excluding: []).member, third = pool.acquire(excluding: []).member
        #expect(Set([first, second, third].compactMap { $0 }) == [0, 1, 2])
        pool.release(1, failure: nil)
        #expect(pool.acquire(excluding: []).member == 1, "b has the fewest in flight")
        #expect(pool.load == [1, 1, 1])
    }

    @Test func aFailedEngineIsOutForACooldownThatDoubles() {
        let pool = EnginePool(urls: ["http://a", "http://b"])
        pool.cooldown = (60, 600)
        let a = pool.acquire(excluding: []).member!
        pool.release(a, failure: TransportError.connectionRefused(url: "http://a"))
        for _ in 0..<3 {
            let next = pool.acquire(excluding: []).member
            #expect(next == 1 - a, "the failed engine is out")
            pool.release(next!, failure: nil)
        }
        let none = pool.acquire(excluding: [1 - a])
        #expect(none.member == nil)
        #expect(none.retryAt.map { $0.timeIntervalSinceNow > 50 } == true)
    }

    @Test func onlyEngineFaultsMoveARequestToAnotherEngine() {
        #expect(PooledBackend.isEngineFailure(TransportError.connectionRefused(url: "u")))
        #expect(PooledBackend.isEngineFailure(EngineError.server(status: 502, message: "")))
        #expect(!PooledBackend.isEngineFailure(EngineError.server(status: 400, message: "bad request")))
        #expect(!PooledBackend.isEngineFailure(EngineError.modelNotFound(model: "m", hint: "")))
    }
}

@Suite struct EngineURLTests {
    @Test func severalURLsComeFromFlagsTheEnvironmentOrTheFile() throws {
        let flags = try EngineSettings.resolve(backend: "openai", url: nil, urls: ["http://a:1/", "http://b:2"], model: nil, timeout: nil, environment: [:], file: ConfigFile())
        #expect(flags.urls == ["http://a:1", "http://b:2"] && flags.url == "http://a:1")
        let env = try EngineSettings.resolve(backend: "llama-server", url: nil, model: nil, timeout: nil, environment: ["LOCO_URL": "http://a:1, http://b:2"], file: ConfigFile())
        #expect(env.urls == ["http://a:1", "http://b:2"])
        var file = ConfigFile()
        file.urls = ["http://c:3", "http://d:4"]
        #expect(try EngineSettings.resolve(backend: "openai", url: nil, model: nil, timeout: nil, environment: [:], file: file).urls == ["http://c:3", "http://d:4"])
        #expect(try EngineSettings.resolve(backend: "openai", url: nil, model: nil, timeout: nil, environment: [:], file: ConfigFile()).urls == ["http://127.0.0.1:8000"])
        #expect(throws: ConfigError.self) { try EngineSettings.resolve(backend: "openai", url: nil, urls: ["a:1"], model: nil, timeout: nil, environment: [:], file: ConfigFile()) }
    }

    @Test func theAPIKeyComesFromTheEnvironmentOnly() throws {
        let s = try EngineSettings.resolve(backend: "openai", url: nil, model: nil, timeout: nil, environment: ["OPENAI_API_KEY": "k2", "LOCO_API_KEY": "k1"], file: ConfigFile())
        #expect(s.apiKey == "k1")
    }
}

@Suite struct ContinuationScoringTests {
    @Test func aGrammarAllowsExactlyTheOptionsTokens() {
        #expect(LlamaServerBackend.grammar(tokens: [9079]) == "root ::= <[9079]>")
        #expect(LlamaServerBackend.grammar(tokens: [904, 236809, 158913]) == "root ::= <[904]> <[236809]> <[158913]>")
    }
}
