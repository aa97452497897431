import Foundation
import LocoAnswers

/// Numbers as people write them in answers: digits with separators, currency, percent and units
/// ("$1,000", "180 km", "100 degrees Celsius"), fractions ("3/4"), words ("eighty-four", "one
/// hundred and twenty"), and scales ("2.5 million").
enum NumberReading {
    private static let units: [String: Double] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
        "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
        "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    ]
    private static let scales: [String: Double] = ["hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000]
    private static let token = try! NSRegularExpression(pattern: #"-?[$€£]?\d[\d,]*(?:\.\d+)?(?:/\d+)?%?|-?[$€£]?\.\d+%?|[A-Za-z]+"#)

    /// Every number in the text, in order; a run of number words is one number.
    static func numbers(in text: String) -> [Double] {
        let words = token.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
        var found: [Double] = []
        var spelled: (total: Double, current: Double)?
        func endSpelled() {
            if let s = spelled { found.append(s.total + s.current) }
            spelled = nil
        }
        for (index, word) in words.enumerated() {
            let lower = word.lowercased()
            if let digits = AnswerExtractor.normalizedNumber(word).flatMap(Double.init) {
                endSpelled()
                // "2.5 million": a numeral followed by a scale word.
                if index + 1 < words.count, let scale = scales[words[index + 1].lowercased()], scale >= 1_000 {
                    found.append(digits * scale)
                } else {
                    found.append(digits)
                }
            } else if let unit = units[lower] {
                var s = spelled ?? (0, 0)
                s.current += unit
                spelled = s
            } else if let scale = scales[lower] {
                if index > 0, AnswerExtractor.normalizedNumber(words[index - 1]) != nil { continue }
                var s = spelled ?? (0, 1)
                if scale == 100 {
                    s.current = max(s.current, 1) * 100
                } else {
                    s.total += max(s.current, 1) * scale
                    s.current = 0
                }
                spelled = s
            } else if lower == "and", spelled != nil, index + 1 < words.count, units[words[index + 1].lowercased()] != nil {
                continue
            } else {
                endSpelled()
            }
        }
        endSpelled()
        return found
    }

    /// The answer's number: the stated one ("The answer is 12"), else the only distinct number in
    /// it, else the last (as GSM8K's and lm-evaluation-harness's flexible extraction take it).
    static func answer(in text: String) -> Double? {
        if let stated = AnswerExtractor.statedAnswer(in: text), let first = numbers(in: stated).first { return first }
        let all = numbers(in: text)
        return Set(all).count == 1 ? all[0] : all.last
    }

    static func equal(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(b)) }
}
