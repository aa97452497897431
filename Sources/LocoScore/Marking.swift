import Foundation
import LocoAnswers

/// The rules a teacher marks by, beyond comparing text: a hedge scores nothing, true and false
/// may be written T and F, a date is a date however it is written, and a one-word answer may be
/// misspelt a little (when the teacher allows it). docs/homework.md has a table per rule.
enum Marking {
    /// Two or more answers given where one was asked ("Sydney⏎Canberra", "B or C"): the distinct
    /// readings of the short lines (or of the parts around "or"), when there are at least two.
    /// Longer lines are working, not candidates.
    static func hedge(_ answer: String, reading: (String) -> String?) -> [String]? {
        let lines = answer.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var candidates = lines.filter { $0.split(separator: " ").count <= 4 }
        if lines.count == 1 {
            let words = lines[0].split(separator: " ")
            if words.count <= 6, words.contains(where: { $0.lowercased() == "or" }) {
                candidates = lines[0].components(separatedBy: " or ").map { $0.trimmingCharacters(in: .whitespaces) }
            }
        }
        guard candidates.count >= 2 else { return nil }
        var seen: [String] = []
        for reading in candidates.compactMap(reading) where !seen.contains(reading) { seen.append(reading) }
        return seen.count >= 2 ? seen : nil
    }

    // MARK: true or false

    private static let truths: [String: Bool] = ["true": true, "t": true, "yes": true, "correct": true, "right": true,
                                                 "false": false, "f": false, "no": false, "incorrect": false, "wrong": false]

    /// "True", "T", "yes" are true; "False", "F", "no" false; with typos allowed, "flase" too.
    static func truth(_ text: String, typos: Bool = false) -> Bool? {
        // "B: False" is an option's letter and its truth value.
        let unlabelled = text.replacingOccurrences(of: #"^\s*\(?[A-Ja-j][.):]\s+"#, with: "", options: .regularExpression)
        guard let first = unlabelled.lowercased().split(whereSeparator: { !$0.isLetter }).first.map(String.init) else { return nil }
        if let value = truths[first] { return value }
        guard typos else { return nil }
        if Typos.near(first, "true") { return true }
        if Typos.near(first, "false") { return false }
        return nil
    }

    /// The key's answer is a truth value ("True", "False", "yes", "no").
    static func isTruth(_ expected: String) -> Bool {
        let words = expected.lowercased().split(whereSeparator: { !$0.isLetter })
        return words.count == 1 && ["true", "false", "yes", "no"].contains(words[0])
    }
}

/// Small misspellings of a one-word answer: "Canbera" for "Canberra". One edit (a letter added,
/// dropped, changed, or two swapped) for words of 4 to 7 letters, two from 8; never for shorter
/// words or numbers, where one letter is another answer.
enum Typos {
    static func near(_ answer: String, _ expected: String) -> Bool {
        let a = Array(answer.lowercased()), e = Array(expected.lowercased())
        guard e.count >= 4, e.allSatisfy(\.isLetter), a.allSatisfy(\.isLetter), a != e else { return false }
        let allowed = e.count >= 8 ? 2 : 1
        guard abs(a.count - e.count) <= allowed else { return false }
        return distance(a, e) <= allowed
    }

    /// Damerau–Levenshtein distance (optimal string alignment).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}

/// Dates as people write them: "July 20, 1969", "20 July 1969", "20th of July 1969", "Jul 20
/// 1969", "1969-07-20", "20/07/1969", "07/20/1969", "20.07.1969". A numeric date whose day and
/// month could be either way round is read both ways, unless the key's own form says which.
enum DateReading {
    struct Day: Hashable, CustomStringConvertible {
        var year: Int, month: Int, day: Int
        var description: String { String(format: "%04d-%02d-%02d", year, month, day) }
    }

    /// Which number comes first in a numeric date.
    enum Order { case dayFirst, monthFirst, either }

    private static let months: [String: Int] = {
        let names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
        var table: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            table[name] = i + 1
            table[String(name.prefix(3))] = i + 1
        }
        table["sept"] = 9
        return table
    }()

    private static let iso = try! NSRegularExpression(pattern: #"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"#)
    private static let numeric = try! NSRegularExpression(pattern: #"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\b"#)
    private static let dayMonth = try! NSRegularExpression(pattern: #"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\.?,?\s+(\d{4})\b"#)
    private static let monthDay = try! NSRegularExpression(pattern: #"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"#)

    /// The readings of the first date in `text` (two when a numeric date is ambiguous and
    /// `order` does not settle it), the order its own form shows, and whether it was numeric.
    static func dates(in text: String, order: Order = .either) -> (days: [Day], order: Order, numeric: Bool)? {
        let range = NSRange(text.startIndex..., in: text)
        func groups(_ match: NSTextCheckingResult) -> [String] {
            (1..<match.numberOfRanges).map { Range(match.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
        }
        func valid(_ year: Int, _ month: Int, _ day: Int) -> Day? {
            guard (1...12).contains(month), (1...31).contains(day),
                  let date = DateComponents(calendar: Calendar(identifier: .gregorian), year: year, month: month, day: day).date,
                  Calendar(identifier: .gregorian).component(.day, from: date) == day else { return nil }
            return Day(year: year, month: month, day: day)
        }
        var found: [(position: Int, days: [Day], order: Order, numeric: Bool)] = []
        if let m = iso.firstMatch(in: text, range: range) {
            let g = groups(m).compactMap(Int.init)
            if g.count == 3, let day = valid(g[0], g[1], g[2]) { found.append((m.range.location, [day], .either, false)) }
        }
        if let m = numeric.firstMatch(in: text, range: range) {
            let g = groups(m).compactMap(Int.init)
            if g.count == 3 {
                let dayFirst = valid(g[2], g[1], g[0]), monthFirst = valid(g[2], g[0], g[1])
                let shown: Order = g[0] > 12 ? .dayFirst : g[1] > 12 ? .monthFirst : .either
                var days: [Day]
                switch order == .either ? shown : order {
                case .dayFirst: days = [dayFirst].compactMap { $0 }
                case .monthFirst: days = [monthFirst].compactMap { $0 }
                case .either: days = Array(Set([dayFirst, monthFirst].compactMap { $0 })).sorted { $0.description < $1.description }
                }
                if !days.isEmpty { found.append((m.range.location, days, shown, true)) }
            }
        }
        for (pattern, dayIndex, monthIndex) in [(dayMonth, 0, 1), (monthDay, 1, 0)] {
            if let m = pattern.firstMatch(in: text, range: range) {
                let g = groups(m)
                if let month = months[g[monthIndex].lowercased()], let d = Int(g[dayIndex]), let y = Int(g[2]), let day = valid(y, month, d) {
                    found.append((m.range.location, [day], .either, false))
                }
            }
        }
        return found.min { $0.position < $1.position }.map { ($0.days, $0.order, $0.numeric) }
    }
}

/// Quantities with a unit, converted where the key states one ("600 g", or a question asking
/// "in grams"): "0.6 kg" is 600 g. Units of another kind ("600 ml" for grams) are wrong.
enum Units {
    struct Unit: Equatable {
        var kind: String
        var factor: Double
    }

    private static let table: [String: Unit] = {
        var table: [String: Unit] = [:]
        func add(_ kind: String, _ factor: Double, _ names: String...) { for name in names { table[name] = Unit(kind: kind, factor: factor) } }
        add("mass", 0.001, "mg", "milligram", "milligrams")
        add("mass", 1, "g", "gram", "grams", "gramme", "grammes")
        add("mass", 1000, "kg", "kilo", "kilos", "kilogram", "kilograms")
        add("mass", 1_000_000, "t", "tonne", "tonnes")
        add("mass", 453.59237, "lb", "lbs", "pound", "pounds")
        add("length", 0.001, "mm", "millimetre", "millimetres", "millimeter", "millimeters")
        add("length", 0.01, "cm", "centimetre", "centimetres", "centimeter", "centimeters")
        add("length", 1, "m", "metre", "metres", "meter", "meters")
        add("length", 1000, "km", "kilometre", "kilometres", "kilometer", "kilometers")
        add("length", 1609.344, "mi", "mile", "miles")
        add("time", 1, "s", "sec", "secs", "second", "seconds")
        add("time", 60, "min", "mins", "minute", "minutes")
        add("time", 3600, "h", "hr", "hrs", "hour", "hours")
        add("volume", 0.001, "ml", "millilitre", "millilitres", "milliliter", "milliliters")
        add("volume", 1, "l", "litre", "litres", "liter", "liters")
        return table
    }()

    private static let quantity = try! NSRegularExpression(pattern: #"(-?\d[\d,]*(?:\.\d+)?)\s*([A-Za-z]+)\b"#)
    private static let asked = try! NSRegularExpression(pattern: #"(?i)\bin\s+([a-z]+)\b"#)

    /// The unit written right after `number` in `text`, if it is one this knows.
    static func unit(after number: Double, in text: String) -> Unit? {
        for match in quantity.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let n = Range(match.range(at: 1), in: text), let u = Range(match.range(at: 2), in: text),
                  let value = Double(text[n].replacingOccurrences(of: ",", with: "")), NumberReading.equal(value, number) else { continue }
            return table[text[u].lowercased()]
        }
        return nil
    }

    /// The unit a question asks for: "How heavy is it (in grams)?".
    static func asked(in question: String) -> Unit? {
        asked.matches(in: question, range: NSRange(question.startIndex..., in: question)).lazy
            .compactMap { Range($0.range(at: 1), in: question).flatMap { table[question[$0].lowercased()] } }.first
    }
}
