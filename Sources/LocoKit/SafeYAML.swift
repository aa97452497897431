import Foundation
import Yams

/// Decodes YAML that came from a file someone else may have written: bounded in size, and
/// refused when aliases would expand it past `maxNodes` (a "billion laughs" bomb), before any
/// decoding walks the expanded tree.
enum SafeYAML {
    static let maxNodes = 100_000

    /// The file's text, refusing one larger than `maxBytes` before reading it; nil if absent.
    static func read(_ url: URL, what: String, maxBytes: Int) throws -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return nil }
        if let size = attributes[.size] as? NSNumber, size.intValue > maxBytes {
            throw ConfigError("\(what) is larger than \(maxBytes >> 10) KiB; refusing to read it")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigError("cannot read \(what)")
        }
        return String(decoding: data.prefix(maxBytes + 1), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String, what: String, maxBytes: Int) throws -> T {
        guard text.utf8.count <= maxBytes else {
            throw ConfigError("\(what) is larger than \(maxBytes >> 10) KiB; refusing to read it")
        }
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else { throw ConfigError("\(what) is empty") }
            node = composed
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError("\(what): \(error)")
        }
        var budget = maxNodes
        guard withinBudget(node, &budget) else {
            throw ConfigError("\(what) expands to more than \(maxNodes) YAML nodes (aliases that multiply?); refusing to read it")
        }
        do {
            return try YAMLDecoder().decode(type, from: node)
        } catch let error as DecodingError {
            throw ConfigError("\(what): \(describe(error))")
        } catch {
            throw ConfigError("\(what): \(error)")
        }
    }

    private static func withinBudget(_ node: Node, _ budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch node {
        case .scalar, .alias: return true
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard withinBudget(key, &budget), withinBudget(value, &budget) else { return false }
            }
            return true
        case .sequence(let sequence):
            for item in sequence {
                guard withinBudget(item, &budget) else { return false }
            }
            return true
        }
    }
}
