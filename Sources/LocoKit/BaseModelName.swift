import Foundation

/// Which base model a name means, as far as a LoRA cares: the family with its version ("gemma3")
/// and the parameter count ("270m"). A registry's `base_model` ("google/gemma-3-270m"), an Ollama
/// tag ("gemma3:270m", "hf.co/unsloth/gemma-3-270m-it-GGUF:Q4_K_M") and a GGUF file name
/// ("gemma-3-270m-q4_k_m.gguf") read the same; quantization and "-it" do not matter, because a
/// LoRA trained on one applies to the others.
public struct BaseModelName: Equatable, Sendable {
    public var family: String
    public var size: String?

    public init?(_ name: String) {
        let last = name.lowercased().split(separator: "/").last.map(String.init) ?? ""
        let parts = last.split(separator: ":", maxSplits: 1).map(String.init)
        let tokens = (parts.first ?? "").split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == ".") })
            .flatMap { $0.split(separator: ".") }.map(String.init)
        guard let first = tokens.first, first.first?.isLetter == true else { return nil }
        var family = first
        var rest = tokens.dropFirst()
        while let next = rest.first, next.allSatisfy(\.isNumber) {
            family += next
            rest = rest.dropFirst()
        }
        self.family = family
        let sizePattern = #"^\d+(\.\d+)?[mb]$"#
        let candidates = Array(rest) + (parts.count > 1 ? parts[1].split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == ".") }).map(String.init) : [])
        size = candidates.first { $0.range(of: sizePattern, options: .regularExpression) != nil }
    }

    /// Nil when a LoRA trained for `adapterBase` applies to the engine's `engineModel`, else why not.
    public static func mismatch(adapterBase: String, engineModel: String) -> String? {
        guard let base = BaseModelName(adapterBase), let engine = BaseModelName(engineModel) else {
            return "cannot tell whether '\(engineModel)' is \(adapterBase), the model it was trained for"
        }
        if base.family == engine.family && base.size != nil && base.size == engine.size { return nil }
        return "it was trained for \(adapterBase), and the engine's model is \(engineModel)"
    }
}
