import Foundation
import LocoKit
import LocoRegistry

/// The adapters the registry describes, their files on disk, and whether those files are the
/// ones the registry vouches for.
public struct AdapterStore {
    public let registry: Registry
    /// `adapters/`: the folder holding the registry and one folder per adapter.
    public let root: URL

    public init(registry: Registry) throws {
        guard let location = registry.location else { throw ConfigError("the registry was not read from a file, so its adapter folders are unknown") }
        self.registry = registry
        self.root = location.deletingLastPathComponent()
    }

    public func entry(_ name: String) throws -> AdapterEntry {
        guard let entry = registry[name] else {
            throw ConfigError("no adapter '\(name)' in \(registry.location?.path ?? "the registry") (loco adapters list shows them)")
        }
        return entry
    }

    public func folder(_ name: String) -> URL { registry.folder(of: name)! }

    /// Checks the weights file against the registry's size and sha256. The file must be a regular
    /// file inside `adapters/<name>/` once every symlink on its way is resolved, and its size must
    /// match before a byte is hashed: a FIFO, a device or a link out of the checkout is refused at once.
    public func verify(_ name: String) throws -> Verification {
        let entry = try entry(name)
        guard let url = registry.weightsURL(of: name) else { return Verification(name: name, status: .noWeights) }
        let resolved = url.resolvingSymlinksInPath()
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved.path) else {
            return Verification(name: name, status: .missing(url.path))
        }
        let inside = root.resolvingSymlinksInPath().appendingPathComponent(name).path + "/"
        guard resolved.path.hasPrefix(inside) else {
            return Verification(name: name, status: .outsideFolder(path: url.path, resolved: resolved.path))
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular, let size = (attributes[.size] as? NSNumber)?.intValue else {
            return Verification(name: name, status: .notAFile(url.path))
        }
        guard let expected = entry.weightsSHA256?.lowercased(), let bytes = entry.weightsBytes else {
            return Verification(name: name, status: .unrecorded(url.path))
        }
        guard bytes == size else {
            return Verification(name: name, status: .sizeMismatch(path: url.path, expected: bytes, actual: size))
        }
        let actual = try sha256Hex(of: resolved)
        guard actual == expected else { return Verification(name: name, status: .hashMismatch(path: url.path, expected: expected, actual: actual)) }
        return Verification(name: name, status: .ok(path: url.path, bytes: size, sha256: actual))
    }
}

/// What `verify` found for one adapter.
public struct Verification: Equatable, CustomStringConvertible {
    public enum Status: Equatable {
        case ok(path: String, bytes: Int, sha256: String)
        case noWeights
        case missing(String)
        case unrecorded(String)
        case outsideFolder(path: String, resolved: String)
        case notAFile(String)
        case sizeMismatch(path: String, expected: Int, actual: Int)
        case hashMismatch(path: String, expected: String, actual: String)
    }

    public var name: String
    public var status: Status

    public var isUsable: Bool {
        if case .ok = status { return true }
        return false
    }

    public var description: String {
        switch status {
        case .ok(let path, let bytes, let sha256):
            return "\(name): ok, \(path) (\(bytes) bytes, sha256 \(sha256.prefix(12))…)"
        case .noWeights:
            return "\(name): no weights yet (the base model answers with its prompt)"
        case .missing(let path):
            return "\(name): weights file \(path) is missing"
        case .unrecorded(let path):
            return "\(name): the registry records no weights_sha256 and weights_bytes for \(path), so it cannot be trusted"
        case .outsideFolder(let path, let resolved):
            return "\(name): \(path) leads to \(resolved), outside adapters/\(name)/: refusing weights from elsewhere"
        case .notAFile(let path):
            return "\(name): \(path) is not a regular file: refusing it"
        case .sizeMismatch(let path, let expected, let actual):
            return "\(name): \(path) is \(actual) bytes, the registry says \(expected): refusing a damaged or replaced file"
        case .hashMismatch(let path, let expected, let actual):
            return "\(name): \(path) has sha256 \(actual), the registry says \(expected): refusing a damaged or replaced file"
        }
    }
}
