/// Why a line is not JSON, with the 1-based column where the parser stopped.
public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public let column: Int
    public var description: String { "invalid JSON at column \(column): \(message)" }
}

/// A strict RFC 8259 parser over UTF-8 bytes. Strict because a stage must say exactly why a line
/// was refused; bounded in depth so a hostile line cannot overflow the stack.
public struct JSONParser {
    public static let maxDepth = 256

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { try parse($0) }
    }

    public static func parse(_ text: String) throws -> JSONValue {
        try parse(Array(text.utf8))
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var parser = JSONParser(buffer: buffer)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index < buffer.count {
            throw parser.error("unexpected \(parser.describe(buffer[parser.index])) after the value")
        }
        return value
    }

    private let buffer: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    private func error(_ message: String) -> JSONParseError {
        JSONParseError(message: message, column: index + 1)
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7f { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    private mutating func skipWhitespace() {
        while index < buffer.count {
            switch buffer[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws -> JSONValue {
        guard index < buffer.count else { throw error("unexpected end of line") }
        switch buffer[index] {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected \(describe(buffer[index]))")
        }
    }

    private mutating func expectWord(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= buffer.count else { throw error("unexpected end of line") }
        let matches = word.withUTF8Buffer { w in (0..<count).allSatisfy { buffer[index + $0] == w[$0] } }
        guard matches else { throw error("unexpected \(describe(buffer[index]))") }
        index += count
    }

    private mutating func parseObject(depth: Int) throws -> JSONObject {
        guard depth <= JSONParser.maxDepth else { throw error("nested deeper than \(JSONParser.maxDepth) levels") }
        index += 1
        var object = JSONObject()
        // Records are small and a scan is cheapest; a big object (a router model's weights)
        // switches to a set, or finding duplicate keys would cost n² comparisons.
        var seen: Set<String>?
        skipWhitespace()
        if index < buffer.count && buffer[index] == UInt8(ascii: "}") { index += 1; return object }
        while true {
            skipWhitespace()
            guard index < buffer.count else { throw error("unexpected end of line inside an object") }
            guard buffer[index] == UInt8(ascii: "\"") else { throw error("expected a key in quotes, got \(describe(buffer[index]))") }
            let key = try parseString()
            skipWhitespace()
            guard index < buffer.count, buffer[index] == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\"") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            if seen == nil && object.count >= 32 { seen = Set(object.keys) }
            let duplicate: Bool
            if seen != nil { duplicate = !seen!.insert(key).inserted } else { duplicate = object[key] != nil }
            if duplicate { object[key] = value } else { object.appendUnchecked(key, value) }
            skipWhitespace()
            guard index < buffer.count else { throw error("unexpected end of line inside an object") }
            switch buffer[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return object
            default: throw error("expected ',' or '}', got \(describe(buffer[index]))")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws -> [JSONValue] {
        guard depth <= JSONParser.maxDepth else { throw error("nested deeper than \(JSONParser.maxDepth) levels") }
        index += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if index < buffer.count && buffer[index] == UInt8(ascii: "]") { index += 1; return array }
        while true {
            skipWhitespace()
            array.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < buffer.count else { throw error("unexpected end of line inside an array") }
            switch buffer[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return array
            default: throw error("expected ',' or ']', got \(describe(buffer[index]))")
            }
        }
    }

    private mutating func parseNumber() throws -> JSONNumber {
        let start = index
        if buffer[index] == UInt8(ascii: "-") { index += 1 }
        guard index < buffer.count, isDigit(buffer[index]) else { throw error("a number needs digits") }
        if buffer[index] == UInt8(ascii: "0") {
            index += 1
            if index < buffer.count, isDigit(buffer[index]) { throw error("a number cannot start with 0") }
        } else {
            while index < buffer.count, isDigit(buffer[index]) { index += 1 }
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: ".") {
            index += 1
            guard index < buffer.count, isDigit(buffer[index]) else { throw error("expected digits after '.'") }
            while index < buffer.count, isDigit(buffer[index]) { index += 1 }
        }
        if index < buffer.count, buffer[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < buffer.count, buffer[index] == UInt8(ascii: "+") || buffer[index] == UInt8(ascii: "-") { index += 1 }
            guard index < buffer.count, isDigit(buffer[index]) else { throw error("expected digits in the exponent") }
            while index < buffer.count, isDigit(buffer[index]) { index += 1 }
        }
        return JSONNumber(literal: String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self))
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private mutating func parseString() throws -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes between the quotes are the string.
        while index < buffer.count {
            let b = buffer[index]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: buffer[start..<index])
                index += 1
                guard let s = String(validating: slice, as: UTF8.self) else {
                    index = start
                    throw error("string is not valid UTF-8")
                }
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character \(describe(b)) inside a string must be escaped") }
            index += 1
        }
        var bytes = Array(buffer[start..<index])
        while index < buffer.count {
            let b = buffer[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                guard let s = String(validating: bytes, as: UTF8.self) else { throw error("string is not valid UTF-8") }
                return s
            case UInt8(ascii: "\\"):
                index += 1
                guard index < buffer.count else { throw error("unexpected end of line in an escape") }
                let e = buffer[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): bytes.append(0x22)
                case UInt8(ascii: "\\"): bytes.append(0x5C)
                case UInt8(ascii: "/"): bytes.append(0x2F)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate must pair with a low one; a lone half becomes U+FFFD.
                        if index + 6 <= buffer.count, buffer[index] == UInt8(ascii: "\\"), buffer[index + 1] == UInt8(ascii: "u") {
                            let save = index
                            index += 2
                            let low = try parseHex4()
                            if (0xDC00..<0xE000).contains(low) {
                                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                index = save
                                scalar = 0xFFFD
                            }
                        } else {
                            scalar = 0xFFFD
                        }
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        scalar = 0xFFFD
                    }
                    bytes.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                default:
                    index -= 1
                    throw error("unknown escape '\\\(Character(Unicode.Scalar(e)))'")
                }
            default:
                if b < 0x20 { throw error("control character \(describe(b)) inside a string must be escaped") }
                bytes.append(b)
                index += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard index + 4 <= buffer.count else { throw error("expected 4 hex digits after \\u") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = buffer[index]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("expected a hex digit after \\u, got \(describe(b))")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
