import Foundation

/// `$XDG_CONFIG_HOME/locollm/config.yaml` (default `~/.config/locollm/config.yaml`); every key optional.
public struct ConfigFile: Codable, Equatable, Sendable {
    public var backend: String?
    public var url: String?
    public var urls: [String]?
    public var model: String?
    public var timeout: Double?

    public init() {}

    public static func path(environment env: [String: String]) -> URL {
        let base = env["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: env["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".config")
        return base.appendingPathComponent("locollm/config.yaml")
    }

    public static func load(environment env: [String: String]) throws -> ConfigFile {
        let url = path(environment: env)
        guard let text = try SafeYAML.read(url, what: "config \(url.path)", maxBytes: 64 << 10) else { return ConfigFile() }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return ConfigFile() }
        return try SafeYAML.decode(ConfigFile.self, from: text, what: "config \(url.path)", maxBytes: 64 << 10)
    }
}
