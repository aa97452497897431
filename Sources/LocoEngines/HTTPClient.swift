import CCurl
import Foundation
import LocoKit

/// Why a request got no HTTP answer at all.
public enum TransportError: Error, Equatable, CustomStringConvertible {
    case connectionRefused(url: String)
    case timedOut(url: String, seconds: Double)
    case failed(url: String, message: String)

    public var description: String {
        switch self {
        case .connectionRefused(let url): return "cannot connect to \(url) (connection refused)"
        case .timedOut(let url, let seconds): return "no complete answer from \(url) within \(String(format: "%g", seconds)) s"
        case .failed(let url, let message): return "request to \(url) failed: \(message)"
        }
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking HTTP/1.1 client on one libcurl easy handle, reused so that requests to the same
/// engine share a kept-alive connection.
public final class HTTPClient {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    public var connectTimeout: Double = 5

    public init() {
        handle = curl_easy_init()
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    public func get(_ url: String, timeout: Double, headers: [String] = []) throws -> HTTPResponse {
        try perform(url: url, method: "GET", body: nil, timeout: timeout, headers: headers)
    }

    public func post(_ url: String, json: JSONValue, timeout: Double, headers: [String] = []) throws -> HTTPResponse {
        try perform(url: url, method: "POST", body: JSONWriter.serialize(json), timeout: timeout, headers: headers)
    }

    /// As `post`, handing each piece of the body to `onData` as it arrives (a token stream).
    public func stream(_ url: String, json: JSONValue, timeout: Double, headers: [String] = [], onData: @escaping ([UInt8]) -> Void) throws -> HTTPResponse {
        try perform(url: url, method: "POST", body: JSONWriter.serialize(json), timeout: timeout, headers: headers, onData: onData)
    }

    private final class Sink {
        var bytes: [UInt8] = []
        var onData: (([UInt8]) -> Void)?
    }

    /// Throws `TransportError` when no HTTP answer came, `Interrupted` after Ctrl-C.
    /// `headers` are extra "Name: value" lines (an API key's Authorization, for one).
    public func perform(url: String, method: String, body: [UInt8]?, timeout: Double, headers extra: [String] = [],
                        onData: (([UInt8]) -> Void)? = nil) throws -> HTTPResponse {
        curl_easy_reset(handle)
        let sink = Sink()
        sink.onData = onData
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        var headers: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headers) }
        headers = curl_slist_append(headers, "Content-Type: application/json")
        headers = curl_slist_append(headers, "Accept: application/json, application/x-ndjson")
        headers = curl_slist_append(headers, "Expect:")
        for line in extra { headers = curl_slist_append(headers, line) }

        loco_setopt_string(handle, CURLOPT_URL, url)
        loco_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        loco_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000))
        loco_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout * 1000))
        loco_setopt_slist(handle, CURLOPT_HTTPHEADER, headers)
        errorBuffer[0] = 0
        loco_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        loco_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer)
        loco_setopt_write_function(handle) { data, size, count, user in
            let n = size * count
            guard let data, let user else { return n }
            let sink = Unmanaged<Sink>.fromOpaque(user).takeUnretainedValue()
            data.withMemoryRebound(to: UInt8.self, capacity: n) { pointer in
                let piece = UnsafeBufferPointer(start: pointer, count: n)
                sink.bytes.append(contentsOf: piece)
                sink.onData?(Array(piece))
            }
            return n
        }
        // Lets Ctrl-C abandon a request in flight instead of waiting for the engine to finish.
        loco_setopt_xferinfo_function(handle) { _, _, _, _, _ in Interruption.requested ? 1 : 0 }
        if method == "HEAD" {
            loco_setopt_long(handle, CURLOPT_NOBODY, 1)
        } else if method == "POST" {
            let payload = body ?? []
            loco_setopt_long(handle, CURLOPT_POST, 1)
            payload.withUnsafeBytes { _ = loco_setopt_postfields(handle, $0.baseAddress, $0.count) }
        } else if method != "GET" {
            loco_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
            if let body {
                body.withUnsafeBytes { _ = loco_setopt_postfields(handle, $0.baseAddress, $0.count) }
            }
        }
        let code = withExtendedLifetime(sink) { curl_easy_perform(handle) }
        switch code {
        case CURLE_OK:
            return HTTPResponse(status: loco_response_code(handle), body: sink.bytes)
        case CURLE_COULDNT_CONNECT:
            throw TransportError.connectionRefused(url: url)
        case CURLE_ABORTED_BY_CALLBACK:
            throw Interrupted()
        case CURLE_OPERATION_TIMEDOUT:
            throw TransportError.timedOut(url: url, seconds: timeout)
        default:
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw TransportError.failed(url: url, message: message)
        }
    }
}
