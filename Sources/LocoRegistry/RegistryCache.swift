import Foundation

/// LocoLLM's cache folder: `$LOCO_CACHE`, else `$XDG_CACHE_HOME/locollm`, else `~/.cache/locollm`
/// (where `bin/loco` keeps the engine build, the model and the engine's logs).
public func locoCacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    if let explicit = environment["LOCO_CACHE"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
    let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
    return URL(fileURLWithPath: base).appendingPathComponent("locollm")
}

/// The decoded registry, kept as JSON beside the YAML text it came from (any registry file with
/// that text decodes the same; where it lives only sets `location`). A YAML parse took about 10 ms
/// to compose and decode the registry, a third of a stage's start-up; this copy reads in about
/// 1 ms. It is used only when the file's text is exactly the text it was made from, so an edited
/// registry is always parsed (and its mistakes reported) afresh. Any failure here only means
/// parsing the YAML.
struct RegistryCache {
    var directory: URL

    private struct Entry: Codable {
        /// Raised whenever `AdapterEntry` gains a field: a copy made by an older build lacks it
        /// (it would read as absent, a claimed router form lost), so it is parsed again instead.
        static let currentFormat = 2
        var format: Int
        var yaml: String
        var adapters: [String: AdapterEntry]
    }

    /// One file: a second registry in use (a test's, another checkout's) replaces the copy, and
    /// the next tool to read the first parses it again. Nothing piles up.
    var file: URL { directory.appendingPathComponent("registry.json") }

    func adapters(yaml: String) -> [String: AdapterEntry]? {
        guard let data = FileManager.default.contents(atPath: file.path),
              let entry = try? JSONDecoder().decode(Entry.self, from: data), entry.format == Entry.currentFormat, entry.yaml == yaml
        else { return nil }
        return entry.adapters
    }

    func store(_ adapters: [String: AdapterEntry], yaml: String) {
        guard let data = try? JSONEncoder().encode(Entry(format: Entry.currentFormat, yaml: yaml, adapters: adapters)) else { return }
        let target = file
        // Written aside and renamed, so a tool starting meanwhile reads the old copy or the new one.
        let partial = target.appendingPathExtension("\(getpid()).partial")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try data.write(to: partial)
            if rename(partial.path, target.path) != 0 { try? FileManager.default.removeItem(at: partial) }
        } catch {
            try? FileManager.default.removeItem(at: partial)
        }
    }
}
