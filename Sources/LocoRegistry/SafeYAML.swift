import Foundation
import LocoKit

/// Decodes YAML that came from a file someone else may have written, with the system's libyaml:
/// bounded in size and depth, and refused when aliases would expand it past `maxNodes` (a
/// "billion laughs" bomb) while it is read, before any decoding walks the tree.
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
        let node: YAMLNode
        do {
            guard let parsed = try YAMLNode.parse(text, limits: YAMLNode.Limits(maxNodes: maxNodes)) else { throw ConfigError("\(what) is empty") }
            node = parsed
        } catch YAMLNode.Problem.tooManyNodes {
            throw ConfigError("\(what) expands to more than \(maxNodes) YAML nodes (aliases that multiply?); refusing to read it")
        } catch YAMLNode.Problem.tooDeep(let line) {
            throw ConfigError("\(what): line \(line): nested more than \(YAMLNode.Limits().maxDepth) levels deep; refusing to read it")
        } catch YAMLNode.Problem.syntax(let message) {
            throw ConfigError("\(what): \(message)")
        }
        do {
            return try T(from: YAMLNodeDecoder(node))
        } catch let error as DecodingError {
            throw ConfigError("\(what): \(describe(error))")
        } catch {
            throw ConfigError("\(what): \(error)")
        }
    }
}
