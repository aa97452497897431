import Foundation
import Testing
import LocoTestSupport

/// Multiple-choice questions answered by the engine's likelihood of each option, through the
/// built tools against the real llama-server.
extension RealEngine {
    @Suite struct ChoiceScoringTests {
        let engine = ["LOCO_BACKEND": "llama-server", "LOCO_URL": E2E.engineURL ?? ""]
        let capital = "What is the capital of France?\n A. Paris\n B. zqxv blorp gnarf"

        func record(_ fields: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
        }

        @Test func eachOptionIsScoredByTheEnginesOwnLogProbabilities() throws {
            let proxy = try RecordingProxy()
            let r = try shell("echo \(quoted(try record(["query": capital]))) | loco-prompt | loco-gen --url \(proxy.url) | loco-vote", environment: engine)
            #expect(r.status == 0, "stderr: \(r.stderr)")
            let out = try jsonObject(r.stdout)
            // Scored after the question alone, read once: the options are what is scored.
            #expect((out["choice_prompt"] as? String ?? "").hasSuffix("Q: What is the capital of France?\nA:"))
            let samples = try #require(out["samples"] as? [[String: Any]])
            #expect(samples.count == 1)
            #expect(samples[0]["done_reason"] as? String == "scored")
            let scores = try #require(samples[0]["option_scores"] as? [Double])
            #expect(scores.count == 2)

            // Two requests per option, each held by a grammar to exactly its text: every option after
            // the record's own choice prompt, then every option after its prompt with no question
            // (each prompt read once); each option tokenized once.
            #expect((out["choice_null_prompt"] as? String ?? "").hasSuffix("Q: \nA:"))
            let sent = try proxy.generations()
            #expect(sent.count == 4)
            let tokenized = try proxy.exchanges("/tokenize").map { try jsonObject($0["response"] as? String ?? "") }
            #expect(tokenized.count == 2)
            for (i, option) in [" Paris", " zqxv blorp gnarf"].enumerated() {
                var sums: [Double] = []
                for (j, prompt) in [out["choice_prompt"], out["choice_null_prompt"]].enumerated() {
                    let exchange = sent[2 * j + i]
                    let body = try #require(exchange["request"] as? [String: Any])
                    #expect(body["prompt"] as? String == prompt as? String)
                    // Held to the option's own tokens, as the engine's tokenizer cuts it.
                    let tokens = try #require(tokenized[i]["tokens"] as? [Int])
                    #expect(body["grammar"] as? String == "root ::= " + tokens.map { "<[\($0)]>" }.joined(separator: " "))
                    #expect(body["n_probs"] as? Int == 1 && body["temperature"] as? Double == 0)
                    // What the engine answered to that very request: its tokens' log probabilities.
                    let response = try jsonObject(exchange["response"] as? String ?? "")
                    #expect(response["content"] as? String == option)
                    let generated = try #require(response["completion_probabilities"] as? [[String: Any]])
                    #expect(generated.map { $0["id"] as? Int } == tokens.map { $0 })
                    sums.append(try generated.map { try #require($0["logprob"] as? Double) }.reduce(0, +))
                }
                // The score: how much the question raises the option's log likelihood.
                #expect(abs(scores[i] - (sums[0] - sums[1])) < 1e-9, "scores: \(scores), sums: \(sums)")
            }
            // The best option is the answer: the question raises a capital far more than noise.
            #expect(samples[0]["text"] as? String == "A. Paris")
            #expect(scores[0] > scores[1] + 1, "scores: \(scores)")
            #expect(out["answer"] as? String == "A")
            #expect((out["voting"] as? [String: Any])?["format"] as? String == "choice")
        }

        /// A quiz's options after no question score alike in every question: asked once a run.
        @Test func aQuizsRepeatedOptionsAreScoredAfterNoQuestionOnce() throws {
            let proxy = try RecordingProxy()
            let quiz = try ["Whales are fish.", "Bats are mammals.", "The sun is a star."]
                .map { try record(["query": $0, "choices": ["True", "False"]]) }.joined(separator: "\n")
            let r = try shell("printf '%s\\n' \(quoted(quiz)) | loco-prompt | loco-gen --url \(proxy.url)", environment: engine)
            #expect(r.status == 0, "stderr: \(r.stderr)")
            let records = r.stdout.split(separator: "\n").compactMap { try? jsonObject(String($0)) }
            #expect(records.count == 3)
            let null = try #require(records.first?["choice_null_prompt"] as? String)
            #expect(records.allSatisfy { $0["choice_null_prompt"] as? String == null })
            let prompts = try proxy.generationRequests().map { $0["prompt"] as? String }
            // Two options after each question, and after no question only for the first.
            #expect(prompts.count == 3 * 2 + 2, "\(prompts)")
            #expect(prompts.filter { $0 == null }.count == 2)
            #expect(records.allSatisfy { ($0["samples"] as? [[String: Any]])?.first?["done_reason"] as? String == "scored" })
        }

        @Test func optionsOfAnyTextAreHeldToExactlyThatText() throws {
            // Quotes, a backslash, a tab and a line break inside an option: scored as the text it is.
            let options = ["say \"yes\" \\ now", "two\tcolumns", "a line\nand another", "plain −10 °C"]
            let input = try record(["query": "Which one?", "choices": options])
            let r = try shell("echo \(quoted(input)) | loco-prompt | loco-gen", environment: engine)
            #expect(r.status == 0, "stderr: \(r.stderr)")
            let out = try jsonObject(r.stdout)
            #expect(out["error"] == nil)
            let sample = try #require((out["samples"] as? [[String: Any]])?.first)
            #expect((sample["option_scores"] as? [Double])?.count == 4)
            let text = sample["text"] as? String ?? ""
            #expect(zip("ABCD", options).contains { text == "\($0). \($1)" }, "text: \(text)")
        }

        @Test func writtenAnswersAreStillThereForWhoeverAsksForThem() throws {
            let proxy = try RecordingProxy()
            let input = try record(["query": capital])
            let r = try shell("echo \(quoted(input)) | loco-prompt | loco-gen --url \(proxy.url) --choices generate --max-tokens 8", environment: engine)
            #expect(r.status == 0, "stderr: \(r.stderr)")
            let sample = try #require((try jsonObject(r.stdout)["samples"] as? [[String: Any]])?.first)
            #expect(["stop", "length"].contains(sample["done_reason"] as? String ?? ""))
            #expect(sample["option_scores"] == nil)
            let sent = try proxy.generationRequests()
            #expect(sent.count == 1 && sent[0]["grammar"] == nil)
            #expect(sample["text"] as? String == (try proxy.answers().first))
        }

        @Test func anAdapterThatReadsItsOwnKindOfAnswerStillWritesIt() throws {
            // Sentiment reads labels: options shown to it are not scored, its LoRA writes the label.
            let input = try record(["query": "Is this review positive or negative? Lovely film.\n A. positive\n B. negative", "adapter": "sentiment"])
            let r = try shell("echo \(quoted(input)) | loco-prompt | loco-gen --max-tokens 8", environment: engine)
            #expect(r.status == 0, "stderr: \(r.stderr)")
            let sample = try #require((try jsonObject(r.stdout)["samples"] as? [[String: Any]])?.first)
            #expect(sample["done_reason"] as? String != "scored")
        }

        @Test func votesOnScoredOptionsScoreThemOnceAndSaySo() throws {
            let r = try shell("echo \(quoted(try record(["query": capital]))) | loco-prompt | loco-gen --samples 5 | loco-vote", environment: engine)
            #expect(r.status == 0, "stderr: \(r.stderr)")
            let out = try jsonObject(r.stdout)
            #expect((out["samples"] as? [Any])?.count == 1)
            let sampling = try #require(out["sampling"] as? [String: Any])
            #expect(sampling["requested"] as? Int == 5 && sampling["drawn"] as? Int == 1)
            #expect((sampling["note"] as? String ?? "").contains("scored once"))
            #expect(out["answer"] as? String == "A")
        }

        @Test func aQuestionTypedWithItsOptionsGetsALetter() throws {
            let r = try shell("loco query \(quoted(capital)) --adapter none --json", environment: engine)
            #expect(r.status == 0, "stderr: \(r.stderr)")
            let out = try jsonObject(r.stdout)
            #expect((out["samples"] as? [[String: Any]])?.first?["done_reason"] as? String == "scored")
            #expect(["A", "B"].contains(out["answer"] as? String ?? ""))
        }
    }
}
