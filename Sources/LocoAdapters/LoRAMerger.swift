import Foundation
import LocoKit
import LocoRegistry

/// Base model + LoRA in one GGUF, by llama.cpp's `llama-export-lora`: for engines that take no
/// separate adapter (an Ollama that refuses `adapters`).
public struct LoRAMerger {
    public var exportTool: URL
    public var baseModel: URL

    public init(exportTool: URL, baseModel: URL) {
        self.exportTool = exportTool
        self.baseModel = baseModel
    }

    /// Finds `llama-export-lora` and the packaged base model where scripts/setup-engine.sh puts them.
    public static func located(environment: [String: String] = ProcessInfo.processInfo.environment) -> LoRAMerger? {
        let cache = locoCacheDirectory(environment: environment)
        let gguf = URL(fileURLWithPath: environment["LOCO_GGUF"] ?? cache.appendingPathComponent("models/gemma-3-270m-q4_k_m.gguf").path)
        let builds = (try? FileManager.default.contentsOfDirectory(atPath: cache.path))?.filter { $0.hasPrefix("llama.cpp-") }.sorted() ?? []
        for build in builds.reversed() {
            let tool = cache.appendingPathComponent("\(build)/build/bin/llama-export-lora")
            if FileManager.default.isExecutableFile(atPath: tool.path), FileManager.default.fileExists(atPath: gguf.path) {
                return LoRAMerger(exportTool: tool, baseModel: gguf)
            }
        }
        return nil
    }

    public func merge(_ lora: URL, into output: URL) throws -> URL {
        let process = Process()
        process.executableURL = exportTool
        process.arguments = ["-m", baseModel.path, "--lora", lora.path, "-o", output.path]
        let log = Pipe()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let text = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let last = text.split(separator: "\n").last.map(String.init) ?? "no output"
            throw ConfigError("\(exportTool.lastPathComponent) failed (exit \(process.terminationStatus)): \(last)")
        }
        return output
    }
}
