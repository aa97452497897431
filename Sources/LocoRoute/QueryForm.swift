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

    static let operators: Set<Character> = ["+", "-", "*", "/", "^", "(", ")"]
    /// Characters that make an `=` part of another operator when they touch it.
    static let joiners: Set<Character> = ["=", "<", ">", "!", ":", "+", "-", "*", "/", "%", "&", "|", "^"]

    static func find(in query: String) -> String? {
        guard query.contains("=") else { return nil }
        if RequestSplit(query).kind == .code { return nil }
        let text = query.replacingOccurrences(of: "\u{2212}", with: "-")
            .replacingOccurrences(of: "\u{00D7}", with: "*")
            .replacingOccurrences(of: "\u{00F7}", with: "/")
        for line in text.split(whereSeparator: \.isNewline) where line.contains("=") {
            // Each line is read once: the terms around an `=` stop at the next one, so a paste
            // of thousands of `=` costs its length, not its square.
            let tokens = tokens(Array(line)[...])
            for index in tokens.indices where tokens[index] == .equals {
                if let equation = equation(left: tokens[..<index], right: tokens[(index + 1)...]) { return equation }
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

    static func tokens(_ characters: ArraySlice<Character>) -> [Token] {
        var tokens: [Token] = []
        var i = characters.startIndex
        func isNameCharacter(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
        while i < characters.endIndex {
            let c = characters[i]
            if c.isWhitespace {
                i += 1
            } else if c.isASCII && c.isNumber {
                var end = i
                while end < characters.endIndex, characters[end].isASCII, characters[end].isNumber { end += 1 }
                if end + 1 < characters.endIndex, characters[end] == ".", characters[end + 1].isASCII, characters[end + 1].isNumber {
                    end += 1
                    while end < characters.endIndex, characters[end].isASCII, characters[end].isNumber { end += 1 }
                }
                let digits = String(characters[i..<end])
                if end < characters.endIndex, characters[end].isASCII, characters[end].isLetter,
                   end + 1 == characters.endIndex || !isNameCharacter(characters[end + 1]) {
                    tokens.append(.coefficient(digits, characters[end]))
                    end += 1
                } else if end < characters.endIndex, isNameCharacter(characters[end]) {
                    // `3rd`, `2nd_value`: a word, not a term.
                    while end < characters.endIndex, isNameCharacter(characters[end]) { end += 1 }
                    tokens.append(.name(String(characters[i..<end]), called: end < characters.endIndex && characters[end] == "("))
                    i = end
                    continue
                } else {
                    tokens.append(.number(digits))
                }
                i = end
            } else if c.isASCII && (c.isLetter || c == "_") {
                var end = i
                while end < characters.endIndex, isNameCharacter(characters[end]) { end += 1 }
                tokens.append(.name(String(characters[i..<end]), called: end < characters.endIndex && characters[end] == "("))
                i = end
            } else if operators.contains(c) {
                tokens.append(.symbol(c))
                i += 1
            } else if c == "=" {
                let joined = (i > characters.startIndex && joiners.contains(characters[i - 1]))
                    || (i + 1 < characters.endIndex && (characters[i + 1] == "=" || characters[i + 1] == ">"))
                tokens.append(joined ? .other(c) : .equals)
                i += 1
            } else {
                tokens.append(.other(c))
                i += 1
            }
        }
        return tokens
    }
}
