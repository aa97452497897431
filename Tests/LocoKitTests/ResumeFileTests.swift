import Foundation
import Testing
@testable import LocoKit
import LocoTestSupport

@Suite struct ResumeFileTests {
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID()).jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func repeatedIdsAreMatchedInTurnAndRecordsWithoutIdsByPosition() throws {
        let path = try file(#"{"id":"a","n":1}"# + "\n" + #"{"id":"a","n":2}"# + "\n" + #"{"n":3}"# + "\n")
        defer { unlink(path) }
        let resume = try ResumeFile.prepare(path)
        #expect(resume.count == 3 && resume.dropped == 0)
        let first = resume.earlier(line: 1, record: try object(#"{"id":"a"}"#)).map { String(decoding: $0, as: UTF8.self) }
        let second = resume.earlier(line: 2, record: try object(#"{"id":"a"}"#)).map { String(decoding: $0, as: UTF8.self) }
        let third = resume.earlier(line: 3, record: try object(#"{"id":"a"}"#))
        #expect(first == #"{"id":"a","n":1}"# && second == #"{"id":"a","n":2}"# && third == nil, "a third 'a' was never done")
        #expect(resume.earlier(line: 3, record: try object(#"{"q":1}"#)) != nil, "no id: the third line")
        #expect(resume.earlier(line: 4, record: try object(#"{"q":1}"#)) == nil)
    }

    @Test func theResumedFileIsInInputOrderAndKeepsWhatNoLineClaimed() throws {
        let path = try file(#"{"id":1}"# + "\n" + #"{"id":2,"error":{"stage":"loco-gen","message":"x","line":2}}"# + "\n" + #"{"id":3}"# + "\n" + #"{"id":9}"# + "\n" + #"{"id":4,"#)
        defer { unlink(path) }
        let resume = try ResumeFile.prepare(path)
        #expect(resume.count == 3 && resume.dropped == 2)
        let writer = try resume.writer()
        for id in 1...4 {
            writer.writeLine(resume.earlier(line: id, record: ["id": JSONValue(id)]) ?? Array(#"{"id":\#(id),"new":true}"#.utf8))
        }
        try resume.finish(writer)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines == [#"{"id":1}"#, #"{"id":2,"new":true}"#, #"{"id":3}"#, #"{"id":4,"new":true}"#, #"{"id":9}"#])
        #expect(!FileManager.default.fileExists(atPath: path + ".resume-tmp"))
    }
}
