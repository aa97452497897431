import Foundation
import LocoKit
import LocoTestSupport
import Testing

@Suite struct FileDigestTests {
    // FIPS 180-2's example: the digest of "abc".
    static let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    @Test func aTextAndAFileOfItsBytesHaveTheSameDigest() throws {
        #expect(sha256Hex(of: "abc") == Self.abc)
        let file = ScratchDirectory.file("digest")
        try Data("abc".utf8).write(to: file)
        #expect(try sha256Hex(of: file) == Self.abc)
    }
}
