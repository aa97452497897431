/// One stage of the pipeline: it reads a record and adds its own fields.
///
/// The runner owns everything the record contract promises (one line out per line in, order,
/// error records, pass-through of earlier errors); a stage only says what it does to a good record.
public protocol Stage {
    /// The name written into error records, e.g. "loco-route".
    var name: String { get }
    /// Adds this stage's fields to `record`, or throws `RecordError` for a record it cannot handle.
    mutating func process(_ record: inout JSONObject, line: Int) throws
    /// A copy that can process records on another thread at the same time as this one (its own
    /// connections, say). Only stages run with `StageRunner.parallelism` > 1 need one.
    func makeWorker() -> Self
    /// Records with the same key run back to back where the read-ahead allows (parallel runs
    /// only; output keeps input order). nil for a stage whose records cost the same in any order.
    /// loco-gen keys by adapter: an engine cannot batch requests for different LoRAs together.
    func groupKey(of record: JSONObject) -> String?
    /// Whether `groupKey` is worth parsing each line for.
    var groupsRecords: Bool { get }
    /// Up to this many records already read (never waiting for more input) are shown to
    /// `prepare` before the first of them is processed: a stage that asks a server per record
    /// can ask once for the lot (loco-route's embedding router). 0: no lookahead.
    var lookahead: Int { get }
    mutating func prepare(_ records: [JSONObject])
}

extension Stage {
    public func makeWorker() -> Self { self }
    public func groupKey(of record: JSONObject) -> String? { nil }
    public var groupsRecords: Bool { false }
    public var lookahead: Int { 0 }
    public mutating func prepare(_ records: [JSONObject]) {}
}

/// A record this stage cannot handle: the message names the field where there is one.
public struct RecordError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var field: String?

    public init(_ message: String, field: String? = nil) {
        self.message = message
        self.field = field
    }

    public static func missing(_ field: String) -> RecordError {
        RecordError("missing field '\(field)'", field: field)
    }

    public static func wrongType(_ field: String, expected: String, got value: JSONValue) -> RecordError {
        RecordError("field '\(field)' must be \(expected), got \(value.typeName)", field: field)
    }

    public var description: String { message }
}

extension JSONObject {
    /// The string in `field`, or a `RecordError` that says what was wrong with it.
    public func requireString(_ field: String) throws -> String {
        guard let value = self[field], !value.isNull else { throw RecordError.missing(field) }
        guard let s = value.stringValue else { throw RecordError.wrongType(field, expected: "a string", got: value) }
        return s
    }

    /// The string in `field` if present and not null; a wrong type is still an error.
    public func optionalString(_ field: String) throws -> String? {
        guard let value = self[field], !value.isNull else { return nil }
        guard let s = value.stringValue else { throw RecordError.wrongType(field, expected: "a string", got: value) }
        return s
    }

    /// True when an earlier stage marked the record as failed.
    public var hasError: Bool {
        if let e = self[.error], !e.isNull { return true }
        return false
    }
}
