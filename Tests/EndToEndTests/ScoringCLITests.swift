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

/// Each adapter's held-out benchmark: real items, the registry's hash, and in no training data.
@Suite struct BenchmarkFileTests {
    @Test(arguments: ["math-reasoning", "code-python", "writing-academic", "sentiment", "arithmetic"])
    func benchmarkIsThereHashedAndHeldOut(adapter: String) throws {
        let file = "adapters/\(adapter)/eval/benchmark.jsonl"
        let count = try shell("jq -c 'select(.id and .query and .source and (.expected or .tests))' \(file) | wc -l")
        #expect(Int(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 50)
        let hash = try shell("sha256sum \(file) | cut -d' ' -f1")
        let registered = try shell("awk '/^  \(adapter):/{on=1; next} /^  [a-z]/{on=0} on && /benchmark_sha256:/{gsub(/\"/, \"\", $2); print $2}' adapters/registry.yaml")
        #expect(hash.stdout == registered.stdout && hash.stdout.count == 65, "\(file) changed without the registry's benchmark_sha256")
        let leaked = try shell("jq -r .id \(file) | sort > /tmp/bench-ids.$$; cat adapters/router/train.jsonl adapters/router/test.jsonl | jq -r .id | sort | comm -12 - /tmp/bench-ids.$$ | wc -l; rm -f /tmp/bench-ids.$$")
        #expect(leaked.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "benchmark items in the router's data")
        let training = "adapters/\(adapter)/training/dataset.jsonl"
        if FileManager.default.fileExists(atPath: E2E.root.appendingPathComponent(training).path) {
            // Neither the id nor the text of a benchmark item is in the adapter's training data.
            let overlap = try shell("jq -r '.id, .query' \(file) | sort -u > /tmp/bench-keys.$$; jq -r .id \(training) | sort -u | comm -12 - /tmp/bench-keys.$$ | wc -l; jq -r '.query | split(\"\\n\") | last' \(file) | while IFS= read -r q; do grep -cF -- \"$(printf '%s' \"$q\" | tail -c 80)\" \(training) || true; done | awk '{ s += $1 } END { print s + 0 }'; rm -f /tmp/bench-keys.$$")
            #expect(overlap.lines == ["0", "0"], "benchmark items in \(training)")
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
