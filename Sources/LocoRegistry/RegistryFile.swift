import Foundation
import LocoKit

/// Edits to `adapters/registry.yaml` as a text file, so its comments, order and layout stay as
/// their authors wrote them (a YAML round trip would drop the comments that document it).
public enum RegistryFile {
    /// Sets `field` of `adapter` to `value` (YAML text, e.g. `0.46` or `"+26 points"`); the line
    /// `    field: ...` must already be in the adapter's block.
    public static func set(_ field: String, of adapter: String, to value: String, in url: URL) throws {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw ConfigError("cannot read registry \(url.path)") }
        var lines = text.components(separatedBy: "\n")
        var inBlock = false
        var changed = false
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":"), !line.hasPrefix("  #") {
                inBlock = line == "  \(adapter):"
                continue
            }
            guard inBlock, !changed else { continue }
            if line.hasPrefix("    \(field):") {
                lines[index] = "    \(field): \(value)"
                changed = true
            }
        }
        guard changed else { throw ConfigError("registry \(url.path): adapter '\(adapter)' has no '\(field):' line to update") }
        let temporary = url.path + ".tmp.\(getpid())"
        try lines.joined(separator: "\n").write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, url.path) == 0 else { throw ConfigError("cannot replace registry \(url.path)") }
    }
}
