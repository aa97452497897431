import Foundation
import LocoKit
import LocoEngines
import LocoRegistry

/// Puts an adapter into Ollama as its own model, `locollm-<name>`: the GGUF LoRA goes up as a
/// blob (`HEAD`/`POST /api/blobs/sha256:…`), then `POST /api/create` {model, from, adapters}
/// derives the model from the base. Where that Ollama refuses adapters, a merged model
/// (base + LoRA in one GGUF, made by llama.cpp's export-lora) goes up instead via `files`.
public struct OllamaAdapterInstaller {
    public var baseURL: String
    public var baseModel: String
    public var timeout: Double
    /// Makes base + LoRA into one GGUF when Ollama refuses adapters; nil says it cannot.
    public var merge: ((_ lora: URL) throws -> URL)?
    public var log: (String) -> Void = { _ in }
    private let http = HTTPClient()

    public init(baseURL: String, baseModel: String, timeout: Double = 600) {
        self.baseURL = baseURL
        self.baseModel = baseModel
        self.timeout = timeout
    }

    /// Returns how the adapter went in: "adapter" or "merged".
    @discardableResult
    public func install(adapter name: String, weights: URL, sha256: String) throws -> String {
        let model = Registry.ollamaModel(for: name)
        try upload(weights, sha256: sha256)
        let request: JSONObject = ["model": .string(model), "from": .string(baseModel),
                                   "adapters": [weights.lastPathComponent: .string("sha256:\(sha256)")], "stream": false]
        do {
            try create(request)
            return "adapter"
        } catch let refusal as OllamaRefusal {
            guard let merge else {
                throw ConfigError("Ollama refused the adapter (\(refusal.message)) and no merged model can be made here: \(refusal.hint)")
            }
            log("Ollama refused the adapter (\(refusal.message)); installing a merged model (base + LoRA in one GGUF) instead")
            let merged = try merge(weights)
            let digest = try sha256Hex(of: merged)
            try upload(merged, sha256: digest)
            try create(["model": .string(model), "files": [merged.lastPathComponent: .string("sha256:\(digest)")], "stream": false])
            return "merged"
        }
    }

    public func remove(adapter name: String) throws {
        let response = try http.perform(url: baseURL + "/api/delete", method: "DELETE",
                                        body: JSONWriter.serialize(["model": .string(Registry.ollamaModel(for: name))]), timeout: 60)
        guard response.status == 200 || response.status == 404 else {
            throw ConfigError("Ollama at \(baseURL) would not delete \(Registry.ollamaModel(for: name)): HTTP \(response.status) \(response.text.prefix(200))")
        }
    }

    func upload(_ file: URL, sha256: String) throws {
        let path = baseURL + "/api/blobs/sha256:\(sha256)"
        let present = try http.perform(url: path, method: "HEAD", body: nil, timeout: 60)
        if present.status == 200 {
            log("\(file.lastPathComponent): already in Ollama")
            return
        }
        let bytes = try [UInt8](Data(contentsOf: file))
        log("\(file.lastPathComponent): uploading \(bytes.count) bytes to Ollama")
        let response = try http.perform(url: path, method: "POST", body: bytes, timeout: timeout)
        guard response.status == 201 || response.status == 200 else {
            throw ConfigError("Ollama at \(baseURL) refused the upload of \(file.lastPathComponent): HTTP \(response.status) \(response.text.prefix(200))")
        }
    }

    /// `/api/create` answers with {status} lines (or one object) ending in "success", or an error.
    func create(_ request: JSONObject) throws {
        let response = try http.post(baseURL + "/api/create", json: .object(request), timeout: timeout)
        var lastStatus = ""
        for line in response.body.split(separator: 0x0A) {
            guard case .object(let o)? = try? JSONParser.parse(Array(line)) else { continue }
            if let error = o["error"]?.stringValue { throw OllamaRefusal(message: error, status: response.status) }
            if let status = o["status"]?.stringValue { lastStatus = status }
        }
        guard response.status == 200, lastStatus == "success" else {
            throw OllamaRefusal(message: "HTTP \(response.status) \(response.text.prefix(200))", status: response.status)
        }
    }
}

/// Ollama would not create the model.
struct OllamaRefusal: Error {
    var message: String
    var status: Int
    var hint: String { "build llama.cpp's llama-export-lora (scripts/setup-engine.sh does) or upgrade Ollama" }
}
