import CSQLite
import Foundation
import LocoKit

/// The local log of routed queries: what was asked, where it went, and any correction the user
/// made. `loco-route train --from-log` learns from the corrections. The file stays on this
/// machine (mode 0600); nothing in LocoLLM sends it anywhere.
///
/// Location: `$LOCO_ROUTING_LOG`, else `$XDG_DATA_HOME/locollm/routing.sqlite`
/// (`~/.local/share/locollm/routing.sqlite`). `LOCO_NO_LOG=1` turns logging off.
public final class RoutingLog {
    public struct Entry: Equatable {
        public var id: Int
        public var time: String
        public var query: String
        public var adapter: String?
        public var router: String
        public var confidence: Double
        /// Set by `correct`: the adapter that should have answered ("base" for the base model).
        public var correction: String?

        /// The label a training set should use: the user's correction, or the user's own choice
        /// when the route was theirs (`--adapter`, a record's field); nil when the router chose
        /// and nobody objected, because learning from one's own guesses teaches nothing.
        public var label: String?? {
            if let correction { return .some(correction == baseCandidate ? nil : correction) }
            if router == "forced" || router == "record" { return .some(adapter) }
            return nil
        }
    }

    public let url: URL
    private var db: OpaquePointer?

    public static func defaultURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["LOCO_ROUTING_LOG"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return URL(fileURLWithPath: data).appendingPathComponent("locollm/routing.sqlite")
    }

    public static func isDisabled(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let value = environment["LOCO_NO_LOG"]?.lowercased() else { return false }
        return !["", "0", "false", "no"].contains(value)
    }

    /// The log, or nil when `LOCO_NO_LOG` says not to keep one.
    public static func openUnlessDisabled() throws -> RoutingLog? {
        isDisabled() ? nil : try RoutingLog(url: defaultURL())
    }

    public init(url: URL) throws {
        self.url = url
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let isNew = !FileManager.default.fileExists(atPath: url.path)
        guard sqlite3_open_v2(url.path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw ConfigError("cannot open the routing log \(url.path): \(message)")
        }
        if isNew { chmod(url.path, 0o600) }
        // Several tools may log at once (a pipe in one terminal, loco query in another). A writer
        // waits for the others instead of failing with "database is locked": WAL lets readers and
        // one writer proceed together, and every write takes the write lock before it reads
        // (BEGIN IMMEDIATE), the one order in which SQLite's busy handler always applies.
        sqlite3_busy_timeout(db, 30_000)
        try execute("PRAGMA journal_mode = WAL")
        try transaction("""
            CREATE TABLE IF NOT EXISTS routed (
                id INTEGER PRIMARY KEY,
                time TEXT NOT NULL,
                query TEXT NOT NULL,
                adapter TEXT,
                router TEXT NOT NULL,
                confidence REAL NOT NULL,
                correction TEXT
            );
            PRAGMA user_version = 1;
            """)
    }

    deinit { sqlite3_close(db) }

    @discardableResult
    public func append(query: String, adapter: String?, route: JSONObject, time: Date = Date()) throws -> Int {
        let router = route["router"]?.stringValue ?? "unknown"
        let confidence = route["confidence"]?.doubleValue ?? 0
        return try writing {
            try run("INSERT INTO routed (time, query, adapter, router, confidence) VALUES (?, ?, ?, ?, ?)",
                    [.text(RoutingLog.timestamp(time)), .text(query), adapter.map { .text($0) } ?? .null, .text(router), .real(confidence)])
            return Int(sqlite3_last_insert_rowid(db))
        }
    }

    /// Records that entry `id` should have gone to `adapter` (nil: the base model).
    public func correct(id: Int, adapter: String?) throws {
        let changed = try writing {
            try run("UPDATE routed SET correction = ? WHERE id = ?", [.text(adapter ?? baseCandidate), .integer(id)])
            return sqlite3_changes(db)
        }
        guard changed == 1 else { throw ConfigError("the routing log has no entry \(id) (see `loco-route log show`)") }
    }

    /// The newest entry's id, for "correct the last one".
    public func lastID() throws -> Int? { try entries(limit: 1).first?.id }

    /// Entries, newest first (`limit` nil: all of them, oldest first).
    public func entries(limit: Int? = nil) throws -> [Entry] {
        let sql = limit == nil
            ? "SELECT id, time, query, adapter, router, confidence, correction FROM routed ORDER BY id"
            : "SELECT id, time, query, adapter, router, confidence, correction FROM routed ORDER BY id DESC LIMIT \(limit!)"
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw error("read") }
        defer { sqlite3_finalize(statement) }
        var result: [Entry] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw error("read") }
            func text(_ column: Int32) -> String? {
                sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : String(cString: sqlite3_column_text(statement, column))
            }
            result.append(Entry(id: Int(sqlite3_column_int64(statement, 0)), time: text(1) ?? "", query: text(2) ?? "",
                                adapter: text(3), router: text(4) ?? "", confidence: sqlite3_column_double(statement, 5),
                                correction: text(6)))
        }
        return result
    }

    public func clear() throws { try transaction("DELETE FROM routed") }

    // MARK: - SQLite plumbing

    private enum Value { case text(String), real(Double), integer(Int), null }

    private func run(_ sql: String, _ values: [Value]) throws {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw error("prepare") }
        defer { sqlite3_finalize(statement) }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .text(let text): loco_sqlite_bind_text(statement, index, text)
            case .real(let number): sqlite3_bind_double(statement, index, number)
            case .integer(let number): sqlite3_bind_int64(statement, index, Int64(number))
            case .null: sqlite3_bind_null(statement, index)
            }
        }
        guard sqlite3_step(statement) == SQLITE_DONE else { throw error("write") }
    }

    private func execute(_ sql: String, action: String = "set up") throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw error(action) }
    }

    private func transaction(_ sql: String) throws {
        try writing { try execute(sql, action: "write") }
    }

    /// `body` inside a write transaction that holds the write lock from its start.
    private func writing<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE", action: "lock")
        do {
            let result = try body()
            try execute("COMMIT", action: "write")
            return result
        } catch {
            sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    private func error(_ action: String) -> ConfigError {
        ConfigError("routing log \(url.path): cannot \(action): \(String(cString: sqlite3_errmsg(db)))")
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }
}
