import Foundation
import Testing
@testable import LocoAdapters
import LocoKit
import LocoRegistry

/// An adapters/ folder of its own: a registry naming one adapter, `tiny`, and its weights file.
struct AdapterFolder {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("loco-adapters-\(UUID())")
    let weights = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    var registryURL: URL { root.appendingPathComponent("registry.yaml") }
    var weightsURL: URL { root.appendingPathComponent("tiny/adapter.gguf") }

    init(sha256: String? = nil, bytes: Int? = nil, writeWeights: Bool = true) throws {
        try FileManager.default.createDirectory(at: root.appendingPathComponent("tiny"), withIntermediateDirectories: true)
        if writeWeights { try weights.write(to: weightsURL) }
        let sha = sha256 ?? "e0b8b8c5f7d8b2f0c6a9b4c09b3b0c3f2d3e6e3c4b1c6a9f1e3c5d7b9a1c3e5f"
        try """
        adapters:
          tiny:
            version: "1"
            base_model: b
            quantization: Q4_K_M
            lora_rank: 8
            created: "2026"
            authors: [a]
            description: d
            tags: [t]
            system_prompt: s
            router_keywords: [k]
            weights: adapter.gguf
            weights_sha256: "\(sha)"
            weights_bytes: \(bytes ?? weights.count)
          plain:
            version: "1"
            base_model: b
            quantization: Q4_K_M
            lora_rank: 8
            created: "2026"
            authors: [a]
            description: d
            tags: [t]
            system_prompt: s
            router_keywords: [k]
        """.write(to: registryURL, atomically: true, encoding: .utf8)
    }

    func store() throws -> AdapterStore { try AdapterStore(registry: Registry.load(registryURL)) }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

@Suite struct AdapterStoreTests {
    @Test func digestMatchesSha256sum() throws {
        let folder = try AdapterFolder()
        defer { folder.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [folder.weightsURL.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let expected = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ")[0]
        #expect(try sha256Hex(of: folder.weightsURL) == String(expected))
    }

    @Test func weightsThatMatchTheRegistryAreUsable() throws {
        let probe = try AdapterFolder()
        let digest = try sha256Hex(of: probe.weightsURL)
        probe.remove()
        let folder = try AdapterFolder(sha256: digest)
        defer { folder.remove() }
        let result = try folder.store().verify("tiny")
        #expect(result.isUsable)
        #expect(result.status == .ok(path: folder.weightsURL.path, bytes: 4096, sha256: digest))
    }

    @Test func oneChangedByteIsRefused() throws {
        let probe = try AdapterFolder()
        let digest = try sha256Hex(of: probe.weightsURL)
        probe.remove()
        let folder = try AdapterFolder(sha256: digest)
        defer { folder.remove() }
        var damaged = folder.weights
        damaged[100] ^= 0xFF
        try damaged.write(to: folder.weightsURL)
        let result = try folder.store().verify("tiny")
        #expect(!result.isUsable)
        guard case .hashMismatch(_, let expected, _) = result.status else { Issue.record("\(result)"); return }
        #expect(expected == digest)
        #expect(result.description.contains("refusing a damaged or replaced file"))
    }

    @Test func aWrongSizeIsRefusedBeforeHashing() throws {
        let folder = try AdapterFolder(bytes: 10)
        defer { folder.remove() }
        #expect(try folder.store().verify("tiny").status == .sizeMismatch(path: folder.weightsURL.path, expected: 10, actual: 4096))
    }

    @Test func aMissingFileAndNoWeightsAreSaidApart() throws {
        let folder = try AdapterFolder(writeWeights: false)
        defer { folder.remove() }
        #expect(try folder.store().verify("tiny").status == .missing(folder.weightsURL.path))
        #expect(try folder.store().verify("plain").status == .noWeights)
        #expect(throws: ConfigError.self) { try folder.store().verify("nope") }
    }

    @Test func weightsReachedThroughASymlinkOutOfTheFolderAreRefused() throws {
        let folder = try AdapterFolder()
        defer { folder.remove() }
        let elsewhere = folder.root.deletingLastPathComponent().appendingPathComponent("elsewhere-\(UUID())")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        try folder.weights.write(to: elsewhere.appendingPathComponent("adapter.gguf"))
        let fm = FileManager.default
        // The weights file is a link to a file outside adapters/tiny/.
        try fm.removeItem(at: folder.weightsURL)
        try fm.createSymbolicLink(at: folder.weightsURL, withDestinationURL: elsewhere.appendingPathComponent("adapter.gguf"))
        guard case .outsideFolder(let path, _) = try folder.store().verify("tiny").status else { Issue.record("a link out of the folder passed"); return }
        #expect(path == folder.weightsURL.path)
        // The adapter's folder itself is a link to a folder outside adapters/.
        try fm.removeItem(at: folder.root.appendingPathComponent("tiny"))
        try fm.createSymbolicLink(at: folder.root.appendingPathComponent("tiny"), withDestinationURL: elsewhere)
        let linkedFolder = try folder.store().verify("tiny")
        guard case .outsideFolder = linkedFolder.status else { Issue.record("a linked folder passed: \(linkedFolder)"); return }
        #expect(linkedFolder.description.contains("outside adapters/tiny/: refusing weights from elsewhere"))
    }

    @Test func aFIFOOrADeviceIsRefusedWithoutReadingIt() throws {
        let folder = try AdapterFolder()
        defer { folder.remove() }
        try FileManager.default.removeItem(at: folder.weightsURL)
        #expect(mkfifo(folder.weightsURL.path, 0o600) == 0)
        // Reading a FIFO with no writer would block for ever; the check never opens it.
        #expect(try folder.store().verify("tiny").status == .notAFile(folder.weightsURL.path))
        try FileManager.default.removeItem(at: folder.weightsURL)
        try FileManager.default.createSymbolicLink(atPath: folder.weightsURL.path, withDestinationPath: "/dev/zero")
        guard case .outsideFolder = try folder.store().verify("tiny").status else { Issue.record("/dev/zero passed"); return }
    }

    @Test func aLinkThatStaysInsideTheFolderIsFine() throws {
        let probe = try AdapterFolder()
        let digest = try sha256Hex(of: probe.weightsURL)
        probe.remove()
        let folder = try AdapterFolder(sha256: digest)
        defer { folder.remove() }
        let real = folder.root.appendingPathComponent("tiny/adapter-v2.gguf")
        try FileManager.default.moveItem(at: folder.weightsURL, to: real)
        try FileManager.default.createSymbolicLink(atPath: folder.weightsURL.path, withDestinationPath: "adapter-v2.gguf")
        #expect(try folder.store().verify("tiny").isUsable)
    }

    @Test func weightsWithoutARecordedSizeAreNotHashed() throws {
        let folder = try AdapterFolder()
        defer { folder.remove() }
        let text = try String(contentsOf: folder.registryURL, encoding: .utf8).replacingOccurrences(of: "    weights_bytes: 4096\n", with: "")
        try text.write(to: folder.registryURL, atomically: true, encoding: .utf8)
        #expect(try folder.store().verify("tiny").status == .unrecorded(folder.weightsURL.path))
    }

    @Test func installedSetSurvivesASaveAndLoad() throws {
        let folder = try AdapterFolder()
        defer { folder.remove() }
        let url = folder.root.appendingPathComponent("state/installed.json")
        var state = try InstalledAdapters.load(from: url)
        #expect(state.adapters.isEmpty)
        state.adapters["tiny"] = .init(sha256: "ab", engines: ["llama-server"])
        try state.save()
        #expect(try InstalledAdapters.load(from: url).adapters == state.adapters)
        try Data("not json".utf8).write(to: url)
        #expect(throws: ConfigError.self) { try InstalledAdapters.load(from: url) }
    }

    @Test func stateLivesUnderXDGDataHome() {
        #expect(InstalledAdapters.defaultURL(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]).path == "/d/locollm/installed-adapters.json")
        #expect(InstalledAdapters.defaultURL(environment: ["HOME": "/h"]).path == "/h/.local/share/locollm/installed-adapters.json")
        #expect(InstalledAdapters.defaultURL(environment: ["LOCO_ADAPTERS_STATE": "/s.json"]).path == "/s.json")
    }
}
