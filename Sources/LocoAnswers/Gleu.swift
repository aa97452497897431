import Foundation

/// GLEU for grammatical error correction (Napoles et al. 2015, "GLEU without tuning" 2016), the
/// metric JFLEG is scored with: BLEU's n-gram precision (n = 1…4) against a human correction, less
/// the original's n-grams that the correction does not have and the answer kept, with BLEU's brevity
/// penalty. Copying the original scores low; fixing what the correctors fixed scores high.
///
/// Sentence-level, smoothed (a zero count counts as one, as JFLEG's scorer does per sentence), and
/// over several corrections the mean of the scores against each: what the reference scorer's
/// random choice of a correction per sentence averages to.
public enum Gleu {
    public static let order = 4

    /// Words and punctuation marks as separate tokens ("It's fine." → It ' s fine .), case kept:
    /// JFLEG's sentences are tokenized so, and an answer must be too before n-grams are counted.
    public static func tokens(_ text: String) -> [Substring] {
        var tokens: [Substring] = []
        var start: String.Index?
        for index in text.indices {
            let character = text[index]
            if character.isLetter || character.isNumber {
                if start == nil { start = index }
                continue
            }
            if let begun = start { tokens.append(text[begun..<index]); start = nil }
            if !character.isWhitespace { tokens.append(text[index...index]) }
        }
        if let begun = start { tokens.append(text[begun...]) }
        return tokens
    }

    public static func score(answer: String, original: String, corrections: [String]) -> Double {
        let hypothesis = tokens(answer), source = tokens(original)
        guard !corrections.isEmpty, !hypothesis.isEmpty else { return 0 }
        let scores = corrections.map { score(hypothesis, source: source, reference: tokens($0)) }
        return scores.reduce(0, +) / Double(scores.count)
    }

    static func score(_ hypothesis: [Substring], source: [Substring], reference: [Substring]) -> Double {
        var logPrecision = 0.0
        for n in 1...order {
            let h = ngrams(hypothesis, n), s = ngrams(source, n), r = ngrams(reference, n)
            // What the correction took out of the original: the source's n-grams that it does not have at all.
            let removed = s.filter { r[$0.key] == nil }
            var matched = 0, penalised = 0
            for (gram, count) in h {
                matched += min(count, r[gram, default: 0])
                penalised += min(count, removed[gram, default: 0])
            }
            let numerator = max(matched - penalised, 0)
            let denominator = max(hypothesis.count + 1 - n, 0)
            logPrecision += log(Double(numerator == 0 ? 1 : numerator) / Double(denominator == 0 ? 1 : denominator))
        }
        let brevity = min(0, 1 - Double(reference.count) / Double(hypothesis.count))
        return exp(brevity + logPrecision / Double(order))
    }

    static func ngrams(_ tokens: [Substring], _ n: Int) -> [ArraySlice<Substring>: Int] {
        var counts: [ArraySlice<Substring>: Int] = [:]
        guard tokens.count >= n else { return counts }
        for start in 0...(tokens.count - n) { counts[tokens[start..<(start + n)], default: 0] += 1 }
        return counts
    }
}
