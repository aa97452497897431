import LocoKit
import LocoRegistry

/// Routes a query by the registry's `router_keywords`: each keyword or phrase found as whole
/// words adds its weight to its adapter; the best total wins, and no hit at all (or a tie between
/// the leaders) means the base model, because a coin-flip route is worse than none.
/// Confidence is the winner's lead, (best - second) / best.
public struct KeywordRouter: QueryRouter {
    public let kind = "keyword"

    private struct Keyword {
        var adapter: String
        var phrase: String
        var words: [Substring]
        var weight: Double
    }

    private let keywords: [Keyword]

    public init(registry: Registry) {
        var keywords: [Keyword] = []
        for name in registry.names {
            for (phrase, weight) in registry[name]!.routerKeywords.sorted(by: { $0.key < $1.key }) {
                let words = KeywordRouter.words(phrase.lowercased())
                if !words.isEmpty { keywords.append(Keyword(adapter: name, phrase: phrase, words: words.map { Substring($0) }, weight: weight)) }
            }
        }
        self.keywords = keywords
    }

    public func route(_ query: String) -> RouteDecision {
        let tokens = KeywordRouter.words(query.lowercased())
        var scores: [String: Double] = [:]
        var fired: [RouteDecision.Evidence] = []
        for keyword in keywords where KeywordRouter.contains(tokens, phrase: keyword.words) {
            scores[keyword.adapter, default: 0] += keyword.weight
            fired.append(.init(candidate: keyword.adapter, feature: keyword.phrase, weight: keyword.weight))
        }
        let ranked = scores.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        guard let best = ranked.first, best.value > 0 else {
            return RouteDecision(adapter: nil, scores: scores, confidence: 0, evidence: fired)
        }
        let second = ranked.count > 1 ? ranked[1].value : 0
        if second == best.value {
            let tied = ranked.filter { $0.value == best.value }.map(\.key)
            return RouteDecision(adapter: nil, scores: scores, confidence: 0, evidence: fired,
                                 fallback: "tie between \(tied.joined(separator: " and ")) at \(RouteDecision.format(best.value))")
        }
        return RouteDecision(adapter: best.key, scores: scores, confidence: (best.value - second) / best.value, evidence: fired)
    }

    /// Lower-case words: runs of letters, digits, `+` and `#` (so "c++" and "c#" stay words);
    /// `%`, `*`, `/`, `^` and `=` are words of their own, so "15%" matches the keyword "%" and
    /// "18/3*2" the keywords "/" and "*"; so is a `-` with a digit or a space on both sides
    /// ("15 - 8", "15-8"), never a hyphen inside a word ("well-known").
    static func words(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        let chars = Array(text)
        for (i, ch) in chars.enumerated() {
            if ch.isLetter || ch.isNumber || ch == "+" || ch == "#" || ch == "'" {
                current.append(ch)
                continue
            }
            if !current.isEmpty {
                result.append(current)
                current = ""
            }
            if "%*/^=".contains(ch) {
                result.append(String(ch))
            } else if ch == "-" {
                let operand = { (c: Character?) in c.map { $0.isNumber || $0.isWhitespace } ?? true }
                if operand(i > 0 ? chars[i - 1] : nil) && operand(i + 1 < chars.count ? chars[i + 1] : nil) { result.append("-") }
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    static func contains(_ tokens: [String], phrase: [Substring]) -> Bool {
        guard !phrase.isEmpty, tokens.count >= phrase.count else { return false }
        for start in 0...(tokens.count - phrase.count) {
            var match = true
            for (offset, word) in phrase.enumerated() where tokens[start + offset] != word {
                match = false
                break
            }
            if match { return true }
        }
        return false
    }
}
