import Testing
@testable import LocoKit
import LocoTestSupport

@Suite struct JSONTests {
    @Test func roundTripKeepsKeyOrderAndNumberLiterals() throws {
        let line = #"{"z":1.0,"a":[true,false,null],"n":12345678901234567890,"e":1e3,"s":"caf\u00e9 \"q\" \n"}"#
        let value = try JSONParser.parse(line)
        #expect(JSONWriter.string(value) == #"{"z":1.0,"a":[true,false,null],"n":12345678901234567890,"e":1e3,"s":"café \"q\" \n"}"#)
    }

    @Test func duplicateKeysKeepTheLastValueInTheFirstPlace() throws {
        let value = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(JSONWriter.string(value) == #"{"a":3,"b":2}"#)
    }

    @Test func bigObjectsFindDuplicatesToo() throws {
        // Past 32 keys the parser tracks keys in a set; the rule must stay the same.
        let keys = (0..<50).map { #""k\#($0)":\#($0)"# }
        let value = try JSONParser.parse("{" + (keys + [#""k3":"late""#, #""k49":"last""#]).joined(separator: ",") + "}")
        let object = try #require(value.objectValue)
        #expect(object.count == 50)
        #expect(object["k3"] == "late" && object["k49"] == "last")
        #expect(object.keys.prefix(5) == ["k0", "k1", "k2", "k3", "k4"])
    }

    @Test func surrogatePairsDecodeAndLoneHalvesBecomeReplacement() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""\ud83d x""#) == .string("\u{FFFD} x"))
    }

    @Test(arguments: [
        ("{", "unexpected end of line inside an object"),
        (#"{"a" 1}"#, "expected ':' after key \"a\""),
        ("[1,]", "unexpected ']'"),
        ("01", "a number cannot start with 0"),
        (#""a\x""#, "unknown escape '\\x'"),
        ("{} x", "unexpected 'x' after the value"),
        ("nul", "unexpected end of line"),
        ("\"tab\there\"", "control character byte 0x9 inside a string must be escaped"),
    ])
    func malformedInputSaysWhy(input: String, message: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(input) }
        do { _ = try JSONParser.parse(input) } catch let e as JSONParseError { #expect(e.message == message) } catch {}
    }

    @Test func invalidUTF8IsRefused() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func controlCharactersAreEscapedOnOutput() {
        #expect(JSONWriter.string(.string("a\u{01}b\tc\\")) == #""a\u0001b\tc\\""#)
    }
}
