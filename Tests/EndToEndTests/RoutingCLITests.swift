import Foundation
import Testing
import LocoTestSupport

/// `loco-route` as users run it: the shipped classifier, train/eval, and the routing log.
/// No engine needed.
@Suite struct RoutingCLITests {
    let trainData = E2E.root.appendingPathComponent("adapters/router/train.jsonl").path
    let testData = E2E.root.appendingPathComponent("adapters/router/test.jsonl").path

    /// Every held-out query is routed and counted: none is dropped on the way.
    func heldOutCount() throws -> Int {
        try String(contentsOfFile: testData, encoding: .utf8).split(separator: "\n").count
    }

    func temporaryDirectory() throws -> URL {
        try ScratchDirectory.make("loco-routing")
    }

    @Test func aPlainLocoRouteUsesTheShippedClassifier() throws {
        let r = try shell(#"printf '%s\n' '{"query":"What is 9 + 5?"}' '{"query":"Who wrote Hamlet?"}' '{"query":"Summarize this paragraph for my thesis."}' '{"query":"Tom has 3 apples and buys 5 more. How many apples does he have now?"}' | loco-route | jq -c '[.adapter, .route.router]'"#)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines == [#"["arithmetic","classifier"]"#, #"[null,"classifier"]"#, #"["writing-academic","classifier"]"#, #"["math-reasoning","classifier"]"#])
    }

    /// The shipped registry's math-reasoning claims equations: they go there by their form, whatever
    /// the classifier would say of their words (before, these went to arithmetic and the base model),
    /// while a sum and an assignment in a snippet keep their routes.
    @Test func anEquationGoesToMathReasoningByItsForm() throws {
        let r = try shell(#"printf '%s\n' '{"query":"What is x if −10 − 5x = 2(5x - 20)?"}' '{"query":"Solve 14*u + 45 = 5*u for u."}' '{"query":"What is 9 + 5?"}' '{"query":"What does this print?\nx = 2\ny = x * 3 + 1\nprint(y)"}' | loco-route --explain | jq -c '[.adapter, .route.router, .route.confidence, .route.note]'"#)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines.count == 4)
        #expect(r.lines.first == #"["math-reasoning","form",1,"an equation in one unknown, -10 - 5x = 2(5x - 20): math-reasoning claims it (router_forms)"]"#)
        #expect(r.lines.dropFirst().first?.hasPrefix(#"["math-reasoning","form",1,"an equation in one unknown, 14 * u + 45 = 5 * u:"#) == true, "\(r.lines)")
        #expect(r.lines.dropFirst(2).first?.hasPrefix(#"["arithmetic","classifier","#) == true, "\(r.lines)")
        #expect(r.lines.last?.hasPrefix(#"["code-python","classifier","#) == true, "\(r.lines)")
    }

    // Forms that went elsewhere before issue 32's sources: the request decides, not the text it carries.
    @Test func theShippedClassifierRoutesOnTheRequestNotOnWhatItCarries() throws {
        let queries = [
            "Simplify this sentence: The committee has reached a consensus regarding the allocation of funds.",
            "Proofread: Their are many reason to go.",
            "How many tails does a cat have?",
            "Is 5 pounds of granite heavier than 8 pounds of pollen? Answer Yes or No",
            "how do i get rid of fruit flies",
            "Reword this: the meeting was postponed due to bad weather.",
            "change to passive voice: The committee approved the budget.",
        ]
        let file = try temporaryDirectory().appendingPathComponent("queries.jsonl")
        let lines = try queries.map { String(decoding: try JSONSerialization.data(withJSONObject: ["query": $0]), as: UTF8.self) }
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let r = try shell("loco-route < \(quoted(file.path)) | jq -c .adapter")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines == [#""writing-academic""#, #""writing-academic""#, "null", "null", "null", #""writing-academic""#, #""writing-academic""#], "\(r.stdout)")
    }

    @Test func theShippedClassifierMeetsItsTargetOnTheHeldOutSplitAndBeatsKeywords() throws {
        let r = try shell("loco-route eval \(quoted(testData)) --json")
        #expect(r.status == 0, "\(r.stderr)")
        let results = try r.lines.map(jsonObject)
        #expect(results.map { $0["router"] as? String } == ["keyword", "classifier"])
        let keyword = try #require(results[0]["macro_f1"] as? Double)
        let classifier = try #require(results[1]["macro_f1"] as? Double)
        #expect(classifier >= 0.95, "issue 3's target")
        #expect(classifier > keyword, "the default router is the one that measures better")
        #expect(results[1]["queries"] as? Int == (try heldOutCount()))
    }

    @Test func evalPrintsAccuracyMacroF1AndAConfusionMatrix() throws {
        let r = try shell("loco-route eval \(quoted(testData)) --router keyword")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines[0] == "keyword router, threshold 0.2, \(try heldOutCount()) queries")
        #expect(r.lines[1].hasPrefix("accuracy 0.") && r.lines[1].contains("macro-F1 0."))
        #expect(r.lines[2].hasPrefix("expected \\ routed") && r.lines[2].hasSuffix("base"))
        #expect(r.lines.contains { $0.hasPrefix("writing-academic") && $0.contains("precision") == false })
    }

    @Test func leaveOneSourceOutRoutesEachSourceWithAModelThatNeverSawIt() throws {
        // A few sources of the shipped data, so that every fold trains in a moment.
        let picked = "select(.source == \"gsm8k\" or .source == \"mbpp\" or .source == \"arc-easy\" or .source == \"math-algebra\" or .source == \"humaneval\")"
        let r = try shell("jq -c '\(picked)' \(quoted(trainData)) | awk 'NR <= 150' | loco-route eval --leave-one-source-out -")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines.first?.hasPrefix("leave-one-source-out: ") == true && r.lines.first?.hasSuffix(" queries; each source routed by a classifier trained on all the others") == true, "\(r.stdout)")
        // The folds route behind the shipped registry's forms, and say so.
        #expect(r.lines.dropFirst().first?.hasPrefix("before it, the registry's forms: an equation in one unknown to math-reasoning (") == true, "\(r.stdout)")
        #expect(r.lines.contains { $0.hasPrefix("source ") && $0.hasSuffix("queries  classifier  keyword") })
        #expect(r.stdout.contains("classifier (cross-source) router, threshold 0.05"))
        #expect(r.stdout.contains("keyword (cross-source) router, threshold 0.2"))
        #expect(r.lines.contains { $0.hasPrefix("sent to a wrong adapter: ") })
        let json = try shell("jq -c '\(picked)' \(quoted(trainData)) | awk 'NR <= 150' | loco-route eval --leave-one-source-out --json -")
        let objects = try json.lines.map(jsonObject)
        #expect(objects.count == 3 && objects.allSatisfy { $0["mode"] as? String == "leave-one-source-out" && $0["confidently_wrong"] is Double && $0["macro_f1"] is Double })
        let unsourced = try shell("echo '{\"query\":\"hi\",\"adapter\":null}' | loco-route eval --leave-one-source-out -")
        #expect(unsourced.status == 2)
        #expect(unsourced.stderr.contains("-: line 1: no 'source': --leave-one-source-out needs the collection each query came from"), "\(unsourced.stderr)")
    }

    @Test func predictionsSayWhereEachQueryWentAndAddUpToTheFigures() throws {
        let picked = "select(.source == \"gsm8k\" or .source == \"mbpp\" or .source == \"arc-easy\" or .source == \"humaneval\")"
        let out = try temporaryDirectory().appendingPathComponent("routes.jsonl").path
        let r = try shell("jq -c '\(picked)' \(quoted(trainData)) | awk 'NR <= 120' | loco-route eval --leave-one-source-out --json --predictions \(quoted(out)) -")
        #expect(r.status == 0, "\(r.stderr)")
        let figures = try r.lines.map(jsonObject)
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { try jsonObject(String($0)) }
        #expect(rows.count == 240, "one line per query for each of the two routers: \(rows.count)")
        for router in ["classifier", "keyword"] {
            let mine = rows.filter { $0["router"] as? String == router }
            #expect(mine.count == 120 && mine.allSatisfy { $0["query"] is String && $0["source"] is String && $0["confidence"] is Double })
            // The choice before the threshold, so a threshold can be chosen from the file alone.
            for row in mine {
                let threshold = row["threshold"] as? Double, confidence = row["confidence"] as? Double
                let atThreshold = (confidence ?? 0) < (threshold ?? 1) ? nil : row["choice"] as? String
                #expect(threshold != nil && atThreshold == row["routed"] as? String, "\(row)")
            }
            // A trained router's probabilities, so a rule over them can be tried from the file alone.
            if router == "classifier" {
                for row in mine {
                    let scores = row["scores"] as? [String: Double] ?? [:]
                    let best = scores.max { $0.value < $1.value }?.key
                    #expect(Set(scores.keys) == ["arithmetic", "code-python", "math-reasoning", "sentiment", "writing-academic", "base"], "\(scores)")
                    #expect(abs(scores.values.reduce(0, +) - 1) < 0.001 && best == (row["choice"] as? String ?? "base"), "\(row)")
                }
            }
            // The lines are the routes the figures were computed from: the same accuracy.
            let right = mine.filter { ($0["routed"] as? String) == ($0["expected"] as? String) }.count
            let accuracy = figures.first { $0["router"] as? String == router && ($0["threshold"] as? Double) != 0 }?["accuracy"] as? Double
            #expect(accuracy.map { abs($0 - Double(right) / 120) < 0.001 } == true, "\(router): \(right) of 120 against \(String(describing: accuracy))")
        }
        let alone = try shell("echo '{\"query\":\"hi\"}' | loco-route eval --predictions \(quoted(out)) -")
        #expect(alone.status != 0 && alone.stderr.contains("--predictions goes with --leave-one-source-out"), "\(alone.stderr)")
    }

    @Test func heldOutQueriesNeverAppearInTraining() throws {
        let r = try shell("jq -c .query \(quoted(trainData)) | sort > /tmp/loco-train-q.$$ && jq -c .query \(quoted(testData)) | sort | comm -12 - /tmp/loco-train-q.$$ | wc -l; rm -f /tmp/loco-train-q.$$")
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test func everyClassHasAtLeastSixSources() throws {
        // Held out one at a time, a class with one source has nothing left to learn from.
        let r = try shell(#"cat \#(quoted(trainData)) \#(quoted(testData)) | jq -r '"\(.adapter) \(.source)"' | sort -u | cut -d' ' -f1 | uniq -c"#)
        let counts = Dictionary(uniqueKeysWithValues: r.lines.map { line in
            let parts = line.split(separator: " ")
            return (String(parts[1]), Int(parts[0])!)
        })
        #expect(counts.keys.sorted() == ["arithmetic", "code-python", "math-reasoning", "null", "sentiment", "writing-academic"])
        #expect(counts.values.allSatisfy { $0 >= 6 }, "\(counts)")
    }

    @Test func trainWritesAModelThatRoutesAndRecordsItsHeldOutScore() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m.json").path
        let r = try shell("head -600 \(quoted(trainData)) | loco-route train - --test \(quoted(testData)) -o \(quoted(model)) --epochs 10")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("trained on ") && r.stderr.contains("held out: accuracy"))
        let check = try shell("jq -c '[.format, .version, (.labels | length), (.training.held_out.macro_f1 > 0.8)]' \(quoted(model))")
        #expect(check.stdout == "[\"locollm-router\",1,6,true]\n", "five adapters and base")
        let routed = try shell(#"echo '{"query":"Write a python function to reverse a string."}' | loco-route --model "# + quoted(model) + " | jq -r .adapter")
        #expect(routed.stdout == "code-python\n", "\(routed.stderr)")
    }

    @Test func trainingSkipsBadLinesSayingWhereAndWhy() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try shell(#"(head -50 "# + quoted(trainData) + #"; echo '{"query":"x","adapter":"nope"}'; echo 'oops') | loco-route train - -o "# + quoted(dir.appendingPathComponent("m.json").path))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("loco-route: -: line 51, field 'adapter': unknown adapter 'nope'"))
        #expect(r.stderr.contains("loco-route: -: line 52: invalid JSON"))
    }

    @Test func minSourcesKeepsOnlyWordsThatManySourcesUseAndSaysWhenItIsMisplaced() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func vocabulary(_ flags: String, _ filter: String = ".") throws -> [Int] {
            let model = dir.appendingPathComponent("m.json").path
            let r = try shell("head -600 \(quoted(trainData)) | jq -c '\(filter)' | loco-route train - -o \(quoted(model)) --epochs 1 \(flags)")
            #expect(r.status == 0, "\(r.stderr)")
            return try shell("jq -c '[.training.min_sources, .training.vocabulary]' \(quoted(model))").stdout.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        }
        let three = try vocabulary(""), one = try vocabulary("--min-sources 1")
        #expect(three.first == 3 && one.first == 1 && three[1] < one[1], "\(three) \(one)")
        // Rows without a source (a user's own data) keep every word whatever the setting; the
        // registry keywords, one source, are left out so that only the rows decide.
        #expect(try vocabulary("--no-keywords", "del(.source)")[1] == vocabulary("--no-keywords --min-sources 1")[1])
        var r = try shell("loco-route eval --min-sources 2 \(quoted(testData))")
        #expect(r.status == 2 && r.stderr.contains("--min-sources goes with --leave-one-source-out"), "\(r.stderr)")
        r = try shell("loco-route train \(quoted(trainData)) --min-sources 0 -o /dev/null")
        #expect(r.status == 2 && r.stderr.contains("--min-sources must be at least 1"), "\(r.stderr)")
    }

    @Test func aModelFromANewerVersionIsExitTwoWithOneLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let future = dir.appendingPathComponent("future.json").path
        _ = try shell("jq '.version = 9' adapters/router/model.json > \(quoted(future))")
        let r = try shell("echo '{\"query\":\"hi\"}' | loco-route --model \(quoted(future))")
        #expect(r.status == 2)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("written by a newer LocoLLM (model format version 9)"))
    }

    @Test func explainShowsTheFeaturesBehindTheRoute() throws {
        let r = try shell(#"echo '{"query":"Proofread my essay introduction"}' | loco-route --explain | jq -c '[.adapter, .route.threshold, (.route.explain | length > 0), .route.explain[0].candidate]'"#)
        #expect(r.stdout == "[\"writing-academic\",0.05,true,\"writing-academic\"]\n", "\(r.stderr)")
        let keyword = try shell(#"echo '{"query":"Please summarize the sum"}' | loco-route --router keyword --explain | jq -c '[.route.explain[] | .feature]'"#)
        #expect(keyword.stdout == "[\"summarize\",\"sum\"]\n" || keyword.stdout == "[\"sum\",\"summarize\"]\n", "\(keyword.stdout)")
    }

    @Test func theRoutingLogLearnsFromCorrections() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = ["LOCO_NO_LOG": "", "LOCO_ROUTING_LOG": dir.appendingPathComponent("log.sqlite").path]
        var r = try shell(#"printf '%s\n' '{"query":"Tell me about sorting hats"}' '{"query":"Add two numbers","adapter":"math-reasoning"}' | loco-route --log > /dev/null"#, environment: log)
        #expect(r.status == 0, "\(r.stderr)")
        r = try shell("loco-route log correct 1 code-python && loco-route log show", environment: log)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines.count == 2)
        #expect(r.lines[0].hasPrefix("1\t") && r.lines[0].contains("-> code-python"))
        r = try shell("loco-route log export", environment: log)
        #expect(try r.lines.map(jsonObject).compactMap { $0["adapter"] as? String } == ["code-python", "math-reasoning"])
        let model = dir.appendingPathComponent("m.json").path
        r = try shell("head -300 \(quoted(trainData)) > \(quoted(dir.path))/t.jsonl && loco-route train \(quoted(dir.path))/t.jsonl --from-log -o \(quoted(model)) --epochs 5", environment: log)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("2 labelled queries from the routing log"))
        #expect(try shell("jq -c '[.training.data[].file]' \(quoted(model))").stdout == "[\"t.jsonl\",\"log.sqlite\",\"registry router_keywords\"]\n")
    }

    @Test func fourWritersAtOnceLoseNoRoute() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = ["LOCO_NO_LOG": "", "LOCO_ROUTING_LOG": dir.appendingPathComponent("log.sqlite").path]
        // Four tools start together on a log that does not exist yet, 500 routes each.
        let r = try shell("""
            for w in 1 2 3 4; do
              (seq 500 | jq -c --arg w "$w" '{query: "writer \\($w) question \\(.)"}' | loco-route --log > /dev/null; echo "writer $w exit $?" >&2) &
            done
            wait
            """, environment: log, timeout: 240)
        #expect(r.status == 0)
        #expect(r.stderr.split(separator: "\n").sorted() == (1...4).map { "writer \($0) exit 0" }, "\(r.stderr)")
        let shown = try shell("loco-route log show --limit 5000", environment: log)
        #expect(shown.lines.count == 2000, "\(shown.stderr)")
        for w in 1...4 { #expect(shown.lines.filter { $0.contains("writer \(w) question ") }.count == 500) }
    }

    @Test func optingOutWritesNoLog() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("log.sqlite").path
        let r = try shell(#"echo '{"query":"hi"}' | loco-route --log > /dev/null"#, environment: ["LOCO_NO_LOG": "1", "LOCO_ROUTING_LOG": path])
        #expect(r.status == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func subcommandHelpIsTheSubcommands() throws {
        let r = try shell("loco-route train --help")
        #expect(r.stdout.hasPrefix("OVERVIEW: Train the classifier router on labelled queries."))
        #expect(!r.stdout.contains("EXAMPLE:"))
        let route = try shell("loco-route log correct --help")
        #expect(route.stdout.hasPrefix("OVERVIEW: Say which adapter should have answered an entry."))
    }
}
