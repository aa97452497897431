import Foundation
import Testing

/// loco-score running real MBPP solutions against their real tests, in the sandbox.
@Suite struct CodeScoringTests {
    let fixture = E2E.root.appendingPathComponent("Tests/EndToEndTests/Fixtures/mbpp-3.jsonl").path

    @Test func referenceSolutionsPassAndBrokenOnesFail() throws {
        let r = try shell("""
            (cat \(quoted(fixture)); jq -c '.answer |= sub("return"; "return None and ") | .id += "-broken"' \(quoted(fixture))) \
              | loco-score --metric pass@1 | jq -c '[.id, .score.value, .score.runs[0]]'
            """)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines.count == 6)
        #expect(r.lines.prefix(3).allSatisfy { $0.hasSuffix(#",1,"passed"]"#) }, "\(r.lines)")
        #expect(r.lines.suffix(3).allSatisfy { $0.contains(#",0,"#) }, "\(r.lines)")
        #expect(r.stderr.contains("accuracy=0.500"))
    }
}

/// loco-score's text metrics against their reference implementations, on real text (the
/// held-out routing queries, paired with each other and with shortened versions of themselves).
@Suite struct TextMetricTests {
    static let reference = #"""
        import json, re, string, sys, collections
        from rouge_score import rouge_scorer
        scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
        def normalize_answer(s):  # SQuAD v1.1 evaluate-v1.1.py, verbatim
            def remove_articles(text): return re.sub(r'\b(a|an|the)\b', ' ', text)
            def white_space_fix(text): return ' '.join(text.split())
            def remove_punc(text):
                exclude = set(string.punctuation)
                return ''.join(ch for ch in text if ch not in exclude)
            return white_space_fix(remove_articles(remove_punc(s.lower())))
        def f1_score(prediction, ground_truth):
            p, g = normalize_answer(prediction).split(), normalize_answer(ground_truth).split()
            common = collections.Counter(p) & collections.Counter(g)
            same = sum(common.values())
            if len(p) == 0 or len(g) == 0: return float(p == g)
            if same == 0: return 0.0
            precision, recall = same / len(p), same / len(g)
            return 2 * precision * recall / (precision + recall)
        for line in sys.stdin:
            r = json.loads(line)
            print(json.dumps({"rouge_l": scorer.score(r["expected"], r["answer"])["rougeL"].fmeasure, "token_f1": f1_score(r["answer"], r["expected"])}))
        """#

    @Test func rougeLAndTokenF1AgreeWithTheReferenceTo1e6() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.reference.write(to: dir.appendingPathComponent("reference.py"), atomically: true, encoding: .utf8)
        let corpus = dir.appendingPathComponent("pairs.jsonl").path
        // 300 pairs: neighbouring queries, and each query against its own first half (words).
        let make = try shell("""
            jq -c '.query' adapters/router/test.jsonl | sed -n '1,150p' > \(quoted(dir.path))/q.txt
            paste -d '\\n' \(quoted(dir.path))/q.txt <(tail -n +2 \(quoted(dir.path))/q.txt; head -1 \(quoted(dir.path))/q.txt) \
              | jq -c -s '[range(0; length; 2) as $i | {expected: .[$i], answer: .[$i + 1]}, {expected: .[$i], answer: (.[$i] | split(" ") | .[0:(length / 2 | floor)] | join(" "))}] | .[]' > \(quoted(corpus))
            wc -l < \(quoted(corpus))
            """)
        #expect(make.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "300", "\(make.stderr)")
        let ours = try shell("paste -d ' ' <(loco-score --metric rouge_l < \(quoted(corpus)) | jq -c .score.value) <(loco-score --metric token_f1 < \(quoted(corpus)) | jq -c .score.value)")
        let theirs = try shell("python3 \(quoted(dir.path))/reference.py < \(quoted(corpus)) | jq -r '\"\\(.rouge_l) \\(.token_f1)\"'")
        #expect(theirs.status == 0, "the reference needs rouge-score (scripts/test.sh installs it): \(theirs.stderr)")
        let a = ours.lines.map { $0.split(separator: " ").compactMap { Double($0) } }
        let b = theirs.lines.map { $0.split(separator: " ").compactMap { Double($0) } }
        #expect(a.count == 300 && b.count == 300)
        var worst = (rouge: 0.0, f1: 0.0)
        for (x, y) in zip(a, b) where x.count == 2 && y.count == 2 {
            worst.rouge = max(worst.rouge, abs(x[0] - y[0]))
            worst.f1 = max(worst.f1, abs(x[1] - y[1]))
        }
        #expect(worst.rouge <= 1e-6 && worst.f1 <= 1e-6, "largest differences: ROUGE-L \(worst.rouge), token F1 \(worst.f1)")
        #expect(Set(a.map { $0.first ?? -1 }).count > 50, "a corpus with many different scores")
    }

    @Test func classificationReportsMacroF1() throws {
        let r = try shell(#"printf '%s\n' '{"answer":"positive","expected":"positive"}' '{"answer":"negative","expected":"positive"}' '{"answer":"negative","expected":"negative"}' '{"answer":"negative","expected":"negative"}' | loco-score --metric classification > /dev/null"#)
        // positive: P 1, R 1/2, F1 2/3; negative: P 2/3, R 1, F1 4/5; macro (2/3 + 4/5) / 2 = 0.733.
        #expect(r.stderr.contains("accuracy=0.750 macro_f1=0.733"), "\(r.stderr)")
    }
}

/// Each adapter's held-out benchmarks (the gated one and its further tiers): real items, the
/// registry's hash, and in no training data of any adapter, by id or by question.
@Suite struct BenchmarkFileTests {
    static func rows(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOf: E2E.root.appendingPathComponent(path), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
    }

    static func normalised(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Every training set's ids and questions (read back from the prompt, after RE2's "Read the question again: ").
    static let trained: (ids: Set<String>, questions: Set<String>) = {
        var ids = Set<String>(), questions = Set<String>()
        let adapters = (try? FileManager.default.contentsOfDirectory(atPath: E2E.root.appendingPathComponent("adapters").path)) ?? []
        for adapter in adapters {
            guard let rows = try? rows("adapters/\(adapter)/training/dataset.jsonl") else { continue }
            for row in rows {
                if let id = row["id"] as? String { ids.insert(id) }
                if let prompt = row["prompt"] as? String, let marker = prompt.range(of: "Read the question again: ", options: .backwards) {
                    var question = String(prompt[marker.upperBound...])
                    if question.hasSuffix("\nA:") { question.removeLast(3) }
                    questions.insert(normalised(question))
                }
            }
        }
        return (ids, questions)
    }()

    @Test(arguments: ["math-reasoning", "code-python", "writing-academic", "sentiment", "arithmetic"])
    func benchmarksAreThereHashedAndHeldOut(adapter: String) throws {
        let folder = E2E.root.appendingPathComponent("adapters/\(adapter)/eval")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("benchmark") && $0.hasSuffix(".jsonl") }
        #expect(!files.isEmpty)
        let registry = try String(contentsOf: E2E.root.appendingPathComponent("adapters/registry.yaml"), encoding: .utf8)
        let router = try Self.rows("adapters/router/train.jsonl") + Self.rows("adapters/router/test.jsonl")
        let routerIDs = Set(router.compactMap { $0["id"] as? String })
        let routerQuestions = Set(router.compactMap { ($0["query"] as? String).map(Self.normalised) })
        #expect(Self.trained.questions.count > 2000, "questions read back from the training sets")
        for file in files {
            let path = "adapters/\(adapter)/eval/\(file)"
            let rows = try Self.rows(path)
            #expect(rows.count >= 50 && rows.allSatisfy { $0["id"] is String && $0["query"] is String && $0["source"] is String && ($0["expected"] != nil || $0["tests"] != nil) }, "\(path)")
            let hash = try shell("sha256sum \(path) | cut -d' ' -f1").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(hash.count == 64 && registry.contains("\"\(hash)\""), "\(path) changed without its sha256 in the registry")
            let ids = Set(rows.compactMap { $0["id"] as? String })
            let routed = ids.intersection(routerIDs), trainedIDs = ids.intersection(Self.trained.ids)
            #expect(routed.isEmpty, "benchmark items of \(path) in the router's data: \(routed.sorted().prefix(5))")
            #expect(trainedIDs.isEmpty, "ids of \(path) in a training set: \(trainedIDs.sorted().prefix(5))")
            let questions = Set(rows.compactMap { ($0["query"] as? String).map(Self.normalised) })
            let routedQuestions = questions.intersection(routerQuestions).map { String($0.prefix(120)) }
            #expect(routedQuestions.isEmpty, "questions of \(path) in the router's data: \(routedQuestions.sorted().prefix(3))")
            let trainedQuestions = questions.intersection(Self.trained.questions).map { String($0.prefix(120)) }
            #expect(trainedQuestions.isEmpty, "questions of \(path) in a training set: \(trainedQuestions.sorted().prefix(3))")
        }
    }

    /// The voting figures and the examples are measured with the arithmetic adapter, so its
    /// training data must not hold their questions either.
    @Test func benchDataAndExamplesAreNotInTheArithmeticTrainingData() throws {
        let training = "adapters/arithmetic/training/dataset.jsonl"
        let trained = try shell("jq -r '.prompt | capture(\"\\nQ: (?<q>.*)\\nRead the question again\").q' \(training) | sort -u | wc -l")
        #expect(Int(trained.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 1000, "questions read back from \(training)")
        let shared = try shell("jq -r '.prompt | capture(\"\\nQ: (?<q>.*)\\nRead the question again\").q' \(training) | sort -u > /tmp/trained.$$; cat bench/data/*.jsonl examples/*.jsonl | jq -r '.query | select(contains(\"\\n\") | not)' | sort -u | comm -12 - /tmp/trained.$$ | wc -l; rm -f /tmp/trained.$$")
        #expect(shared.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "bench or example questions in \(training)")
    }
}
