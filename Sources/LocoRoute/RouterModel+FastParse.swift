import Foundation
import LocoKit

/// The weights object is nearly all of a router model file (9,000 features × one number per
/// label), and building a JSON tree of it cost 20 ms before every routed query. Written by
/// `serialized()`, it has one shape, which this reads straight into the arrays; the rest of the
/// file, with the weights cut out, goes through the strict reader as usual. Anything unexpected
/// gives nil, and the caller reads the whole file strictly.
extension RouterModel {
    static func fastParse(_ bytes: [UInt8], source: String) throws -> RouterModel? {
        let key = Array("\n\"weights\":".utf8)
        guard let keyStart = lastIndex(of: key, in: bytes) else { return nil }
        let scanned: (names: [String], weights: [Double], width: Int, start: Int, end: Int)? = bytes.withUnsafeBufferPointer { buffer in
            var scanner = WeightsScanner(bytes: buffer, index: keyStart + key.count)
            scanner.skipWhitespace()
            let start = scanner.index
            guard let (names, weights, width) = scanner.weightsObject() else { return nil }
            return (names, weights, width, start, scanner.index)
        }
        guard let scanned else { return nil }
        let rest = Array(bytes[..<scanned.start]) + Array("{}".utf8) + Array(bytes[scanned.end...])
        let header = try strictParse(rest, source: source)
        guard header.featureNames.isEmpty, scanned.names.isEmpty || scanned.width == header.labels.count else { return nil }
        return RouterModel(labels: header.labels, bias: header.bias, featureNames: scanned.names, weights: scanned.weights,
                           training: header.training, reading: header.reading)
    }

    private static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = haystack.count - needle.count
        while i >= 0 {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }
}

/// `{"name": [number, ...], ...}` with every row the same length.
private struct WeightsScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index: Int

    /// Exact powers of ten: a decimal with at most 15 significant digits divided by one is the
    /// correctly rounded double, the same one `Double(String)` gives.
    static let powersOfTen: [Double] = (0...15).map { pow(10, Double($0)) }

    mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x09 || bytes[index] == 0x0D { index += 1 }
    }

    mutating func expect(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func weightsObject() -> ([String], [Double], Int)? {
        guard expect(UInt8(ascii: "{")) else { return nil }
        var names: [String] = []
        var weights: [Double] = []
        var width = -1
        skipWhitespace()
        if expect(UInt8(ascii: "}")) { return (names, weights, 0) }
        while true {
            skipWhitespace()
            guard let name = string() else { return nil }
            skipWhitespace()
            guard expect(UInt8(ascii: ":")) else { return nil }
            skipWhitespace()
            guard expect(UInt8(ascii: "[")) else { return nil }
            var count = 0
            while true {
                skipWhitespace()
                guard let value = number() else { return nil }
                weights.append(value)
                count += 1
                skipWhitespace()
                if expect(UInt8(ascii: "]")) { break }
                guard expect(UInt8(ascii: ",")) else { return nil }
            }
            if width < 0 { width = count }
            guard count == width else { return nil }
            names.append(name)
            skipWhitespace()
            if expect(UInt8(ascii: "}")) { return (names, weights, width) }
            guard expect(UInt8(ascii: ",")) else { return nil }
        }
    }

    /// A JSON string whose only escapes are \" \\ and \/ (the ones feature names need).
    mutating func string() -> String? {
        guard expect(UInt8(ascii: "\"")) else { return nil }
        var text: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(validating: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count, [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/")].contains(bytes[index]) else { return nil }
                text.append(bytes[index])
                index += 1
            case ..<0x20: return nil
            default: text.append(byte)
            }
        }
        return nil
    }

    /// `-?(0|[1-9][0-9]*)(.[0-9]+)?` with at most 15 significant digits; anything else is nil.
    mutating func number() -> Double? {
        let negative = expect(UInt8(ascii: "-"))
        var mantissa: UInt64 = 0
        var digits = 0
        var decimals = 0
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        guard index < bytes.count, isDigit(bytes[index]) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { return nil }
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                mantissa = mantissa * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
        }
        if expect(UInt8(ascii: ".")) {
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            while index < bytes.count, isDigit(bytes[index]) {
                mantissa = mantissa * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                decimals += 1
                index += 1
            }
        }
        guard digits <= 15, index < bytes.count, bytes[index] | 0x20 != UInt8(ascii: "e") else { return nil }
        let value = Double(mantissa) / WeightsScanner.powersOfTen[decimals]
        return negative ? -value : value
    }
}
