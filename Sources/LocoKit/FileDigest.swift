import Crypto
import Foundation

/// The sha256 of a file, read in 1 MiB pieces so a multi-gigabyte merged model never sits in memory.
public func sha256Hex(of url: URL) throws -> String {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    var hasher = SHA256()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
        hasher.update(data: chunk)
    }
    return hex(hasher.finalize())
}

/// The sha256 of a text's UTF-8 bytes.
public func sha256Hex(of text: String) -> String {
    hex(SHA256.hash(data: Data(text.utf8)))
}

private func hex(_ digest: SHA256.Digest) -> String {
    digest.map { String(format: "%02x", $0) }.joined()
}
