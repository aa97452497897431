import Foundation

/// The share done and the time left, for a progress line: ", 12/100 (12%), about 4m10s left".
public enum Progress {
    /// `done` counts records finished in earlier runs too (a resumed eval); the rate comes from
    /// the `thisRun` records finished in `seconds`.
    public static func remaining(done: Int, total: Int, thisRun: Int, seconds: Double) -> String {
        let shown = min(done, total)
        var text = ", \(shown)/\(total) (\(shown * 100 / max(total, 1))%)"
        if thisRun > 0, seconds > 0, done < total {
            text += ", about " + duration(seconds / Double(thisRun) * Double(total - done)) + " left"
        }
        return text
    }

    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m"
    }
}

/// One line on stderr, rewritten in place as work goes on: on a terminal only, and cleared
/// before anything else is printed, so it never mixes with rows, notes or pipes.
public final class ProgressLine: @unchecked Sendable {
    public let enabled: Bool
    private var shown = false

    public init(enabled: Bool = isatty(2) == 1) { self.enabled = enabled }

    /// Replaces the line with `text`.
    public func show(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        shown = true
    }

    /// Removes the line, if one is shown.
    public func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}
