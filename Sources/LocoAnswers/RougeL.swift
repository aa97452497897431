/// ROUGE-L (Lin, 2004): longest common subsequence of words, as an F1 of its precision and recall.
/// Words are lower-cased runs of ASCII letters and digits, exactly as Google's reference
/// tokenizer (`rouge-score`, no stemming) makes them, so scores agree with it to the last digit.
public enum RougeL {
    public static func tokens(_ text: String) -> [Substring] {
        text.lowercased().split(whereSeparator: { character in
            !(character.isASCII && (character.isLetter || character.isNumber))
        })
    }

    public static func f1(_ a: [Substring], _ b: [Substring]) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for x in a {
            for (j, y) in b.enumerated() {
                current[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], current[j])
            }
            swap(&previous, &current)
        }
        let lcs = Double(previous[b.count])
        guard lcs > 0 else { return 0 }
        let precision = lcs / Double(b.count), recall = lcs / Double(a.count)
        return 2 * precision * recall / (precision + recall)
    }

    public static func f1(_ a: String, _ b: String) -> Double { f1(tokens(a), tokens(b)) }

    /// The index of the text most similar to all the others (highest mean ROUGE-L F1; the
    /// first on a tie), with that mean. Best-of-N for free text, where no two samples are equal.
    public static func medoid(_ texts: [String]) -> (index: Int, meanSimilarity: Double)? {
        guard !texts.isEmpty else { return nil }
        guard texts.count > 1 else { return (0, 1) }
        let tokenized = texts.map(tokens)
        var best = (index: 0, meanSimilarity: -1.0)
        for i in tokenized.indices {
            var total = 0.0
            for j in tokenized.indices where j != i { total += f1(tokenized[i], tokenized[j]) }
            let mean = total / Double(texts.count - 1)
            if mean > best.meanSimilarity { best = (i, mean) }
        }
        return best
    }
}
