/// A form a query can have that decides its route before any router reads its words. An adapter
/// claims the forms it answers in the registry (`router_forms`), and `FormRouter` sends a query of
/// that form there.
///
/// Words cannot carry an equation: "solve" also asks for sums ("Solve the following
/// multiplication: 5535 * 6061."), and the router taught equations as words sent such sums to
/// math-reasoning (docs/routing.md). An unknown beside numbers on both sides of an `=` is what
/// makes an equation, and that is read here from the text's form.
public enum QueryForm: String, CaseIterable, Sendable {
    /// An equation in one unknown: "Solve for x: −2x − 4(1 + 8x) = −174", "14*u + 45 = 5*u".
    case equation

    public var summary: String {
        switch self {
        case .equation: "an equation in one unknown"
        }
    }

    /// The part of `query` that has this form, as read (`-2x - 4(1 + 8x) = -174`), or nil.
    public func match(_ query: String) -> String? {
        switch self {
        case .equation: EquationReading.find(in: query)
        }
    }
}

/// Finds an equation in one unknown. Around each `=` that is not part of `==`, `<=`, `=>` or
/// the like, the terms on either side are read outwards while they are numbers, single letters,
/// `8x`-style coefficients, operators and brackets; a word stops them ("What is x if …"). It is an
/// equation when both sides hold something, the brackets on each side balance, exactly one letter
/// appears, a number appears, nothing is a function called (`f(x) = …`, `poly(xs, x) = 0`), and no
/// number stands apart before a letter as before a unit (`100 m = 0.1 km`).
///
/// Code assigns where an equation states: `x = 5`, `y = 2*x + 1` (two letters) and `n = n + 1`
/// are not equations, so a lone letter on the left must be matched by the same letter written
/// with a coefficient on the right (`x = 2x - 5`), which code cannot write; and a query that
/// carries code (`RequestSplit`) is not read at all.
enum EquationReading {
    enum Token: Equatable {
        case number(String)
        /// A number with a letter glued on: `8x`.
        case coefficient(String, Character)
        /// A name: a single letter is an unknown, a longer one is a word. `called`: a bracket
        /// follows it at once, as in `f(x)` or `poly(xs, x)`.
        case name(String, called: Bool = false)
        case symbol(Character)
        /// An `=` that is not part of `==`, `<=`, `+=`, `=>` or the like.
        case equals
        case other(Character)

        var isTerm: Bool {
            switch self {
            case .number, .coefficient: true
            case .name(let name, _): name.count == 1 && name.first!.isLetter
            case .symbol: true
            case .equals, .other: false
            }
        }

        var text: String {
            switch self {
            case .number(let digits): digits
            case .coefficient(let digits, let letter): digits + String(letter)
            case .name(let name, _): name
            case .symbol(let c), .other(let c): String(c)
            case .equals: "="
            }
        }
    }

    /// Read as scalars, not Characters: most queries with an `=` are code, and reading each of
    /// them as graphemes cost `loco-route` a fifth of its time on the held-out queries.
    typealias Scalars = ArraySlice<Unicode.Scalar>

    static let operators: Set<Unicode.Scalar> = ["+", "-", "*", "/", "^", "(", ")"]
    /// Characters that make an `=` part of another operator when they touch it.
    static let joiners: Set<Unicode.Scalar> = ["=", "<", ">", "!", ":", "+", "-", "*", "/", "%", "&", "|", "^"]
    /// The minus, times and division signs typed as such read as `-`, `*` and `/`.
    static let typed: [Unicode.Scalar: Unicode.Scalar] = ["\u{2212}": "-", "\u{00D7}": "*", "\u{00F7}": "/"]
    static let newlines: Set<Unicode.Scalar> = ["\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"]

    static func find(in query: String) -> String? {
        guard query.utf8.contains(UInt8(ascii: "=")) else { return nil }
        let scalars = Array(query.unicodeScalars)
        var start = 0
        while start < scalars.count {
            var end = start
            while end < scalars.count, !newlines.contains(scalars[end]) { end += 1 }
            let line = scalars[start..<end]
            start = end + 1
            guard line.contains("=") else { continue }
            // Each line is read once: the terms around an `=` stop at the next one, so a paste
            // of thousands of `=` costs its length, not its square.
            let tokens = tokens(line)
            for index in tokens.indices where tokens[index] == .equals {
                if let equation = equation(left: tokens[..<index], right: tokens[(index + 1)...]) {
                    // Asked last, as it costs most: code's `=` is mostly refused by the reading.
                    return RequestSplit(query).kind == .code ? nil : equation
                }
            }
        }
        return nil
    }

    static func equation(left allLeft: ArraySlice<Token>, right allRight: ArraySlice<Token>) -> String? {
        var left = Array(allLeft.reversed().prefix { $0.isTerm }.reversed())
        let before = allLeft.dropLast(left.count).last
        var right = Array(allRight.prefix { $0.isTerm })
        if case .name(_, called: true)? = before { return nil }
        while let first = left.first, case .symbol(let c) = first, "+*/^)".contains(c) { left.removeFirst() }
        while let last = right.last, case .symbol(let c) = last, "+-*/^(".contains(c) { right.removeLast() }
        guard !left.isEmpty, !right.isEmpty, balanced(left), balanced(right) else { return nil }
        let both = left + right
        // A number then a letter apart from it is a quantity and its unit ("100 m = 0.1 km"):
        // an equation writes the product glued (`8x`) or with `*`.
        for side in [left, right] {
            for (token, next) in zip(side, side.dropFirst()) {
                if case .number = token, case .name = next { return nil }
            }
        }
        var letters: Set<Character> = []
        var hasNumber = false
        for token in both {
            switch token {
            case .name(let name, let called):
                if called { return nil }
                letters.insert(name.first!)
            case .coefficient(_, let letter):
                letters.insert(letter)
                hasNumber = true
            case .number:
                hasNumber = true
            default:
                break
            }
        }
        guard letters.count == 1, hasNumber else { return nil }
        if left.count == 1, case .name(let unknown, _) = left[0] {
            let restated = right.contains { if case .coefficient(_, let letter) = $0 { String(letter) == unknown } else { false } }
            guard restated else { return nil }
        }
        return render(left) + " = " + render(right)
    }

    static func balanced(_ tokens: [Token]) -> Bool {
        var depth = 0
        for token in tokens {
            if token == .symbol("(") { depth += 1 }
            if token == .symbol(")") { depth -= 1; if depth < 0 { return false } }
        }
        return depth == 0
    }

    static func render(_ tokens: [Token]) -> String {
        var out = ""
        var previous: Token?
        var unary = false
        for token in tokens {
            let text = token.text
            let tight = out.isEmpty || unary || out.last == "(" || text == ")" || text == "^" || out.last == "^"
                || (text == "(" && !(out.last.map { " +-*/".contains($0) } ?? true))
            out += (tight ? "" : " ") + text
            // A minus with no term before it belongs to what follows: `-174`, `(-x + 5)`.
            var afterTerm = previous != nil
            if case .symbol(let c)? = previous { afterTerm = c == ")" }
            unary = text == "-" && !afterTerm
            previous = token
        }
        return out
    }

    static func tokens(_ line: Scalars) -> [Token] {
        let scalars = line.map { typed[$0] ?? $0 }
        func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
        func isLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        func isNameCharacter(_ c: Unicode.Scalar) -> Bool { isLetter(c) || isDigit(c) || c == "_" }
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        var tokens: [Token] = []
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c.properties.isWhitespace {
                i += 1
            } else if isDigit(c) {
                var end = i
                while end < scalars.count, isDigit(scalars[end]) { end += 1 }
                if end + 1 < scalars.count, scalars[end] == ".", isDigit(scalars[end + 1]) {
                    end += 1
                    while end < scalars.count, isDigit(scalars[end]) { end += 1 }
                }
                let digits = text(i..<end)
                if end < scalars.count, isLetter(scalars[end]), end + 1 == scalars.count || !isNameCharacter(scalars[end + 1]) {
                    tokens.append(.coefficient(digits, Character(scalars[end])))
                    end += 1
                } else if end < scalars.count, isNameCharacter(scalars[end]) {
                    // `3rd`, `2nd_value`: a word, not a term.
                    while end < scalars.count, isNameCharacter(scalars[end]) { end += 1 }
                    tokens.append(.name(text(i..<end), called: end < scalars.count && scalars[end] == "("))
                } else {
                    tokens.append(.number(digits))
                }
                i = end
            } else if isLetter(c) || c == "_" {
                var end = i
                while end < scalars.count, isNameCharacter(scalars[end]) { end += 1 }
                tokens.append(.name(text(i..<end), called: end < scalars.count && scalars[end] == "("))
                i = end
            } else if operators.contains(c) {
                tokens.append(.symbol(Character(c)))
                i += 1
            } else if c == "=" {
                let joined = (i > 0 && joiners.contains(scalars[i - 1])) || (i + 1 < scalars.count && (scalars[i + 1] == "=" || scalars[i + 1] == ">"))
                tokens.append(joined ? .other(Character(c)) : .equals)
                i += 1
            } else {
                tokens.append(.other(Character(c)))
                i += 1
            }
        }
        return tokens
    }
}
