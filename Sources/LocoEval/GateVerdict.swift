import LocoKit

/// The gate's rules, read from a results.json: an adapter ships when the lower end of the 95%
/// interval of its score clears the base model's score on its own benchmark (a win inside
/// the noise is no win), and it loses at most 5 points on another domain's benchmark and on each
/// of its own further benchmarks (`more_benchmarks`: a harder tier, a second task) and on each
/// source of a benchmark drawn from several (`by_source`).
public struct GateVerdict: Equatable {
    public var passed: Bool
    /// `PASS name: 0.6 vs base 0.1 (+50 points); ...` or `FAIL name: why; why`.
    public var line: String

    public static let maxDropOutOfDomain = 0.05

    public init(results: JSONObject) throws {
        guard let adapter = results["adapter"]?.stringValue, let base = results["base_score"]?.doubleValue,
              let own = results["adapter_score"]?.doubleValue else {
            throw ConfigError("not a gate's results: it needs adapter, base_score and adapter_score")
        }
        let lower = results["adapter_ci95"]?.arrayValue?.first?.doubleValue
        var why: [String] = []
        if own <= base {
            why.append("does not beat the base model on its benchmark: \(GateVerdict.number(own)) vs \(GateVerdict.number(base))")
        } else if let lower, lower <= base {
            why.append("\(GateVerdict.number(own)) vs base \(GateVerdict.number(base)) is within the noise: the lower end of its 95% interval, "
                       + "\(GateVerdict.number(lower)), does not clear the base model's score")
        }
        for check in results["out_of_domain"]?.arrayValue ?? [] {
            guard let o = check.objectValue, let drop = o["drop"]?.doubleValue, drop > GateVerdict.maxDropOutOfDomain else { continue }
            why.append("drops \(GateVerdict.number((drop * 1000).rounded() / 10)) points out of domain on \(o["benchmark_of"]?.stringValue ?? "?") (more than 5)")
        }
        // Each source of its benchmark and each further benchmark: shown, and held to 5 points.
        let parts = GateVerdict.held(results["by_source"], named: { $0["source"]?.stringValue.map(GateVerdict.shortName) },
                                     lost: { "on \($0), a source of its benchmark" }, why: &why)
        let tiers = GateVerdict.held(results["more_benchmarks"], named: { $0["name"]?.stringValue },
                                     lost: { "on its own \($0) benchmark" }, why: &why)
        passed = why.isEmpty
        if passed {
            line = "PASS \(adapter): \(GateVerdict.number(own)) vs base \(GateVerdict.number(base)) (+\(GateVerdict.number(((own - base) * 1000).rounded() / 10)) points)"
                + (lower.map { "; 95% interval from \(GateVerdict.number($0))" } ?? "")
                + (parts.isEmpty ? "" : "; by source: " + parts.joined(separator: ", ")) + "; out of domain within 5 points"
                + (tiers.isEmpty ? "" : "; " + tiers.joined(separator: ", "))
        } else {
            line = "FAIL \(adapter): " + why.joined(separator: "; ")
        }
    }

    /// `name adapter vs base` for each entry; where one drops more than 5 points, why it fails.
    static func held(_ entries: JSONValue?, named: (JSONObject) -> String?, lost: (String) -> String, why: inout [String]) -> [String] {
        (entries?.arrayValue ?? []).compactMap { entry in
            guard let o = entry.objectValue, let name = named(o),
                  let b = o["base_score"]?.doubleValue, let a = o["adapter_score"]?.doubleValue else { return nil }
            if let drop = o["drop"]?.doubleValue, drop > maxDropOutOfDomain {
                why.append("drops \(number((drop * 1000).rounded() / 10)) points \(lost(name)) (more than 5)")
            }
            return "\(name) \(number(a)) vs \(number(b))"
        }
    }

    /// A source as a line names it: its words before the first parenthesis ("JFLEG test").
    static func shortName(_ source: String) -> String {
        let name = source.split(separator: "(", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? source
        return name.isEmpty ? source : name
    }

    /// As JSON writes it: 0.2, 26, 0.46.
    static func number(_ value: Double) -> String { JSONWriter.string(JSONValue(value)) }
}
