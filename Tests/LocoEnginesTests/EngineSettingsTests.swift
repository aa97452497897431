import Foundation
import Testing
import LocoEngines
@testable import LocoKit
@testable import LocoRegistry

@Suite struct ConfigTests {
    @Test func flagsBeatEnvironmentBeatFileBeatDefaults() throws {
        var file = ConfigFile()
        file.backend = "llama-server"
        file.url = "http://file:1"
        file.timeout = 9
        let fromFile = try EngineSettings.resolve(backend: nil, url: nil, model: nil, timeout: nil, environment: [:], file: file)
        #expect(fromFile == EngineSettings(backend: .llamaServer, url: "http://file:1", model: nil, timeout: 9))
        let fromEnv = try EngineSettings.resolve(backend: nil, url: nil, model: nil, timeout: nil,
                                                 environment: ["LOCO_BACKEND": "ollama", "LOCO_URL": "http://env:2/"], file: file)
        #expect(fromEnv.backend == .ollama)
        #expect(fromEnv.url == "http://env:2")
        #expect(fromEnv.model == "gemma3:270m")
        let fromFlags = try EngineSettings.resolve(backend: "llama-server", url: "http://flag:3", model: "m", timeout: 1,
                                                   environment: ["LOCO_BACKEND": "ollama"], file: file)
        #expect(fromFlags == EngineSettings(backend: .llamaServer, url: "http://flag:3", model: "m", timeout: 1))
        let defaults = try EngineSettings.resolve(backend: nil, url: nil, model: nil, timeout: nil, environment: [:], file: ConfigFile())
        #expect(defaults == EngineSettings(backend: .ollama, url: "http://127.0.0.1:11434", model: "gemma3:270m", timeout: 300))
    }

    @Test(arguments: [
        ("example.org", "http://example.org:11434"),
        ("example.org:8080", "http://example.org:8080"),
        (":9999", "http://127.0.0.1:9999"),
        ("0.0.0.0", "http://127.0.0.1:11434"),
        ("https://ollama.lan/", "https://ollama.lan:11434"),
        ("http://10.1.2.3:11435", "http://10.1.2.3:11435"),
    ])
    func ollamaHostForms(host: String, url: String) {
        #expect(EngineSettings.ollamaURL(fromHost: host) == url)
    }

    @Test func ollamaHostIsUsedOnlyForOllama() throws {
        let env = ["OLLAMA_HOST": "box:1234"]
        #expect(try EngineSettings.resolve(backend: nil, url: nil, model: nil, timeout: nil, environment: env, file: ConfigFile()).url == "http://box:1234")
        #expect(try EngineSettings.resolve(backend: "llama-server", url: nil, model: nil, timeout: nil, environment: env, file: ConfigFile()).url == "http://127.0.0.1:8077")
    }

    @Test func unknownBackendIsNamed() {
        #expect(throws: ConfigError.self) {
            try EngineSettings.resolve(backend: "vllm", url: nil, model: nil, timeout: nil, environment: [:], file: ConfigFile())
        }
    }

    @Test func configFileIsReadFromXDGConfigHome() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-config-\(UUID())")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("locollm"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "backend: llama-server\nurl: http://127.0.0.1:9000\n".write(to: dir.appendingPathComponent("locollm/config.yaml"), atomically: true, encoding: .utf8)
        let file = try ConfigFile.load(environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(file.backend == "llama-server")
        #expect(file.url == "http://127.0.0.1:9000")
        try "backend: [oops".write(to: dir.appendingPathComponent("locollm/config.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try ConfigFile.load(environment: ["XDG_CONFIG_HOME": dir.path]) }
    }
}
