/// The classifier router's view of a query: word unigrams and bigrams plus character 3- to
/// 5-grams of each word, as sparse features with sublinear term frequency, L2-normalised.
///
/// Feature names are readable (`w:sum`, `b:how many`, `c:<su`) so a model file can be read and
/// `--explain` can say which features decided. They are produced once, as bytes, by
/// `forEachFeature`; training keeps them as strings, routing hashes them, so both see the same
/// features.
public enum TextFeatures {
    /// Only the start of a long query is read: a pasted essay routes by its first lines.
    public static let maxBytes = 2000
    public static let charGramSizes = 3...5

    public typealias Vector = [(feature: Int, value: Double)]

    /// How a model reads a query: as one text, or as one text and also as the request and what it
    /// carries (`RequestSplit`): every feature of the whole query, then, when it carries
    /// something, `k:code`, `k:prose` or `k:numbers` for the payload's kind and the request's words
    /// and word pairs again under `r:`, so the few words of a request can outweigh a long paste.
    public enum Reading: String, Sendable {
        case whole
        case requestAndPayload = "request and payload"
    }

    public static func forEachFeature(_ query: String, reading: Reading, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        forEachFeature(query, emit)
        guard reading == .requestAndPayload else { return }
        let split = RequestSplit(query)
        guard let kind = split.kind else { return }
        var buffer = Array("k:\(kind.rawValue)".utf8)
        buffer.withUnsafeBufferPointer(emit)
        let (tokens, _) = tokenize(split.request)
        for (index, token) in tokens.enumerated() {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: "r:".utf8)
            buffer.append(contentsOf: token)
            buffer.withUnsafeBufferPointer(emit)
            guard index > 0 else { continue }
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: "r:".utf8)
            buffer.append(contentsOf: tokens[index - 1])
            buffer.append(UInt8(ascii: " "))
            buffer.append(contentsOf: token)
            buffer.withUnsafeBufferPointer(emit)
        }
    }

    /// Calls `emit` with the bytes of each feature occurrence, in text order (with repeats).
    public static func forEachFeature(_ text: String, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        let (tokens, isWord) = tokenize(text)
        emitFeatures(tokens, isWord, emit)
    }

    /// Lower-cased words, `<num>` for numbers, each punctuation mark a token; whether each is
    /// an ASCII word (which gets character n-grams).
    static func tokenize(_ text: String) -> (tokens: [[UInt8]], isWord: [Bool]) {
        var tokens: [[UInt8]] = []
        var isWord: [Bool] = []
        var current: [UInt8] = []
        var bytesRead = 0
        func endToken() {
            guard !current.isEmpty else { return }
            if isNumber(current) {
                tokens.append(Array("<num>".utf8))
                isWord.append(false)
            } else {
                tokens.append(current)
                isWord.append(current.allSatisfy { $0 < 0x80 })
            }
            current.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            bytesRead += 1
            if bytesRead > maxBytes && byte & 0xC0 != 0x80 { break }
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte | 0x20)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), 0x80...:
                current.append(byte)
            case 0...0x20, 0x7F:
                endToken()
            default:
                endToken()
                tokens.append([byte])
                isWord.append(false)
            }
        }
        endToken()
        return (tokens, isWord)
    }

    /// A run of digits, or a hexadecimal, binary or octal literal (`0x1f`, `0b101`, `0o17`; the
    /// token is already lower-cased). Read as words, a literal's character grams come from the one
    /// source that writes numbers that way, so sums in one base teach nothing about sums in another
    /// (measured in docs/routing.md).
    static func isNumber(_ token: [UInt8]) -> Bool {
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if token.allSatisfy(isDigit) { return true }
        guard token.count > 2, token[0] == UInt8(ascii: "0") else { return false }
        let digits = token.dropFirst(2)
        switch token[1] {
        case UInt8(ascii: "x"): return digits.allSatisfy { isDigit($0) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) }
        case UInt8(ascii: "b"): return digits.allSatisfy { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") }
        case UInt8(ascii: "o"): return digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }
        default: return false
        }
    }

    private static func emitFeatures(_ tokens: [[UInt8]], _ isWord: [Bool], _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64)
        func send(_ prefix: StaticString, _ parts: ArraySlice<UInt8>...) {
            buffer.removeAll(keepingCapacity: true)
            prefix.withUTF8Buffer { buffer.append(contentsOf: $0) }
            for (index, part) in parts.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: " ")) }
                buffer.append(contentsOf: part)
            }
            buffer.withUnsafeBufferPointer(emit)
        }
        var padded: [UInt8] = []
        for (index, token) in tokens.enumerated() {
            send("w:", token[...])
            if index > 0 { send("b:", tokens[index - 1][...], token[...]) }
            guard isWord[index], token.count >= 2 else { continue }
            // `<` and `>` mark the word's edges, so "<su" (a word starting "su") differs from "su".
            padded.removeAll(keepingCapacity: true)
            padded.append(UInt8(ascii: "<"))
            padded.append(contentsOf: token)
            padded.append(UInt8(ascii: ">"))
            for size in charGramSizes where size <= padded.count {
                for start in 0...(padded.count - size) {
                    send("c:", padded[start..<(start + size)])
                }
            }
        }
    }

    /// Feature names with their weights: `1 + ln(count)`, scaled to unit length.
    public static func named(_ text: String, reading: Reading = .whole) -> [String: Double] {
        var counts: [String: Double] = [:]
        forEachFeature(text, reading: reading) { counts[String(decoding: $0, as: UTF8.self), default: 0] += 1 }
        return normalised(counts)
    }

    static func normalised<Key>(_ counts: [Key: Double]) -> [Key: Double] {
        var weights = counts.mapValues { 1 + log($0) }
        let norm = weights.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { for key in weights.keys { weights[key]! /= norm } }
        return weights
    }

    /// FNV-1a, 64-bit: a feature's name as a dictionary key without building a String.
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    public static func hash(_ name: String) -> UInt64 {
        var copy = name
        return copy.withUTF8 { hash($0) }
    }
}

import Foundation
