import Foundation
import LocoKit

/// Which adapters the user installed, kept outside the checkout: the embedded llama-server
/// loads exactly these at start, and `loco adapters list` shows them.
/// Location: `$LOCO_ADAPTERS_STATE`, else `$XDG_DATA_HOME/locollm/installed-adapters.json`
/// (XDG_DATA_HOME defaults to ~/.local/share).
public struct InstalledAdapters: Equatable {
    public struct Entry: Codable, Equatable {
        public var sha256: String
        /// Where it was registered: "llama-server", or "ollama <url> as <model>".
        public var engines: [String]
        public init(sha256: String, engines: [String]) {
            self.sha256 = sha256
            self.engines = engines
        }
    }

    public var adapters: [String: Entry] = [:]
    public let url: URL

    public static func defaultURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["LOCO_ADAPTERS_STATE"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return URL(fileURLWithPath: data).appendingPathComponent("locollm/installed-adapters.json")
    }

    public static func load(from url: URL = defaultURL()) throws -> InstalledAdapters {
        var state = InstalledAdapters(url: url)
        guard let data = FileManager.default.contents(atPath: url.path) else { return state }
        do {
            state.adapters = try JSONDecoder().decode([String: Entry].self, from: data)
        } catch {
            throw ConfigError("\(url.path) is not a list of installed adapters (\(error)); delete it and install again")
        }
        return state
    }

    public init(url: URL) { self.url = url }

    public func save() throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let tmp = url.appendingPathExtension("tmp")
        try encoder.encode(adapters).write(to: tmp)
        guard rename(tmp.path, url.path) == 0 else {
            throw ConfigError("cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
    }
}
