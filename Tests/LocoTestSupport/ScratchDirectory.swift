import Foundation

/// One folder under the system's temporary directory for everything this test process writes,
/// removed when the process exits, so a run of the suite leaves nothing behind in /tmp.
public enum ScratchDirectory {
    private static let root: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("loco-tests-\(getpid())-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: ScratchDirectory.root) }
        return root
    }()

    /// A new, empty folder whose name starts with `prefix`.
    public static func make(_ prefix: String) throws -> URL {
        let dir = root.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A path for a file that does not exist yet, whose name starts with `prefix` and ends with `suffix`.
    public static func file(_ prefix: String, suffix: String = "") -> URL {
        root.appendingPathComponent("\(prefix)-\(UUID().uuidString)\(suffix)")
    }
}
