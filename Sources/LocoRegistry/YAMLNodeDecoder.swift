import Foundation

/// Decodes `Decodable` types from a `YAMLNode`. A scalar is read as the type its field asks for
/// (`version: 1.2` is the string "1.2" for a String field and the number 1.2 for a Double);
/// null is `~`, `null` or nothing, unquoted. Every error names the field's path and its line.
struct YAMLNodeDecoder: Decoder {
    let node: YAMLNode
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ node: YAMLNode, codingPath: [CodingKey] = []) {
        self.node = node
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let pairs, _) = node else { throw mismatch([String: Any].self, "a mapping") }
        return KeyedDecodingContainer(Keyed<Key>(pairs: pairs, line: node.line, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .sequence(let items, _) = node else { throw mismatch([Any].self, "a list") }
        return Unkeyed(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { Single(node: node, codingPath: codingPath) }

    func mismatch(_ type: Any.Type, _ expected: String) -> DecodingError {
        DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(expected) at line \(node.line)"))
    }

    static func isNull(_ node: YAMLNode) -> Bool {
        guard case .scalar(let text, let plain, _) = node, plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// A scalar read as `T`, or a type mismatch that says which line held what.
    static func scalar<T>(_ node: YAMLNode, _ type: T.Type, codingPath: [CodingKey], read: (String) -> T?) throws -> T {
        guard case .scalar(let text, _, let line) = node else {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(type) at line \(node.line), found a list or mapping"))
        }
        guard let value = read(text) else {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(type) at line \(line), found '\(text)'"))
        }
        return value
    }

    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ node: YAMLNode, codingPath: [CodingKey]) throws -> T {
        switch type {
        case is String.Type: return try scalar(node, String.self, codingPath: codingPath) { $0 } as! T
        case is Bool.Type: return try scalar(node, Bool.self, codingPath: codingPath, read: bool) as! T
        case is Int.Type: return try scalar(node, Int.self, codingPath: codingPath) { Int($0) } as! T
        case is Double.Type: return try scalar(node, Double.self, codingPath: codingPath) { Double($0) } as! T
        default: return try T(from: YAMLNodeDecoder(node, codingPath: codingPath))
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init(intValue: Int) { self.stringValue = "[\(intValue)]"; self.intValue = intValue }
    }

    struct Keyed<K: CodingKey>: KeyedDecodingContainerProtocol {
        let pairs: [(key: String, value: YAMLNode)]
        let line: Int
        let codingPath: [CodingKey]

        var allKeys: [K] { pairs.compactMap { K(stringValue: $0.key) } }

        func contains(_ key: K) -> Bool { pairs.contains { $0.key == key.stringValue } }

        func value(_ key: K) throws -> YAMLNode {
            guard let pair = pairs.first(where: { $0.key == key.stringValue }) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "the mapping at line \(line) has no '\(key.stringValue)'"))
            }
            return pair.value
        }

        func decodeNil(forKey key: K) throws -> Bool { YAMLNodeDecoder.isNull(try value(key)) }

        func decode<T: Decodable>(_ type: T.Type, forKey key: K) throws -> T {
            let node = try value(key)
            if YAMLNodeDecoder.isNull(node), !(T.self is String.Type) {
                throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "null at line \(node.line)"))
            }
            return try YAMLNodeDecoder.decode(type, node, codingPath: codingPath + [key])
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: K) throws -> KeyedDecodingContainer<NestedKey> {
            try YAMLNodeDecoder(try value(key), codingPath: codingPath + [key]).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: K) throws -> UnkeyedDecodingContainer {
            try YAMLNodeDecoder(try value(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        func superDecoder() throws -> Decoder { YAMLNodeDecoder(.mapping(pairs, line: line), codingPath: codingPath) }
        func superDecoder(forKey key: K) throws -> Decoder { YAMLNodeDecoder(try value(key), codingPath: codingPath + [key]) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let items: [YAMLNode]
        let codingPath: [CodingKey]
        var currentIndex = 0
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        init(items: [YAMLNode], codingPath: [CodingKey]) {
            self.items = items
            self.codingPath = codingPath
        }

        mutating func next() throws -> (YAMLNode, [CodingKey]) {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the list has only \(items.count) items"))
            }
            defer { currentIndex += 1 }
            return (items[currentIndex], codingPath + [Key(intValue: currentIndex)])
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, YAMLNodeDecoder.isNull(items[currentIndex]) else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (node, path) = try next()
            return try YAMLNodeDecoder.decode(type, node, codingPath: path)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            let (node, path) = try next()
            return try YAMLNodeDecoder(node, codingPath: path).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
            let (node, path) = try next()
            return try YAMLNodeDecoder(node, codingPath: path).unkeyedContainer()
        }

        mutating func superDecoder() throws -> Decoder {
            let (node, path) = try next()
            return YAMLNodeDecoder(node, codingPath: path)
        }
    }

    struct Single: SingleValueDecodingContainer {
        let node: YAMLNode
        let codingPath: [CodingKey]

        func decodeNil() -> Bool { YAMLNodeDecoder.isNull(node) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try YAMLNodeDecoder.decode(type, node, codingPath: codingPath) }
    }
}
