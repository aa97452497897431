import Foundation
import Testing
@testable import LocoKit
import LocoTestSupport

/// Reading the files teachers and students have, and grading a class with them.
@Suite struct ProblemSetFileTests {
    func file(_ name: String, _ text: String) throws -> String {
        let dir = try ScratchDirectory.make("loco-sets")
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func csvColumnsAreNamedFieldsAndQuotedCellsHoldCommasAndLines() throws {
        let path = try file("set.csv", "Question,Answer,Metric,Tests,Options\n\"Is it red, or blue?\",blue,,,red | blue\n\"Write f\",,pass@1,\"assert f() == 1\nassert f() != 2\",\n")
        let (format, records) = try ProblemSetFile.records(at: path, role: .questions)
        #expect(format == .csv)
        #expect(records.map(\.line) == [2, 3])
        #expect(records[0].record == ["query": "Is it red, or blue?", "expected": "blue", "choices": ["red", "blue"], "id": "1"])
        #expect(records[1].record == ["query": "Write f", "metric": "pass@1", "tests": ["assert f() == 1", "assert f() != 2"], "id": "2"])
    }

    @Test func anAnswerColumnIsTheKeyInAProblemSetAndTheStudentsOwnInAResponse() throws {
        let path = try file("alice.csv", "id,answer\nq1,Paris\n")
        #expect(try ProblemSetFile.records(at: path, role: .questions).records[0].record["expected"] == "Paris")
        #expect(try ProblemSetFile.records(at: path, role: .responses).records[0].record["answer"] == "Paris")
    }

    @Test func tsvAndTheMapAndAliasesAsAJSONList() throws {
        let path = try file("set.tsv", "Nr\tFrage\tLösung\n1\tHauptstadt von Frankreich?\t[\"Paris\", \"paris\"]\n")
        let map = try ColumnMap("Nr=id,Frage=query,Lösung=expected")
        let (format, records) = try ProblemSetFile.records(at: path, role: .questions, map: map)
        #expect(format == .tsv)
        #expect(records[0].record == ["id": "1", "query": "Hauptstadt von Frankreich?", "expected": ["Paris", "paris"]])
        #expect(throws: ConfigError.self) { try ColumnMap("Frage") }
        #expect(throws: ConfigError.self) { try ColumnMap("Frage=frage") }
    }

    @Test func columnsWhoseNamesSayNothingAreReadByWhatTheyHoldOrNamed() throws {
        var notes: [String] = []
        let guessed = try file("sheet.csv", "Nr.,Ihre Antwort\nQ1,Paris\n2),eighty-four\n")
        let records = try ProblemSetFile.records(at: guessed, role: .responses, note: { notes.append($0) }).records
        #expect(records.map(\.record) == [["id": "Q1", "answer": "Paris"], ["id": "2)", "answer": "eighty-four"]])
        #expect(notes == ["\(guessed): no header names the answer column; read column 1 as the question numbers and column 2 as the answers from what the first rows hold (name them, or use --map, to choose otherwise)"])
        // `Q` and `Ans` are names it knows.
        #expect(try ProblemSetFile.records(at: try file("dan.csv", "Q,Ans\nQ1,Paris\n"), role: .responses).records[0].record == ["id": "Q1", "answer": "Paris"])
        // With nothing under the header there is nothing to go by: say what to name.
        let path = try file("set.csv", "a,b\n")
        #expect(errorMessage("a header without rows") { _ = try ProblemSetFile.records(at: path, role: .questions) }
            == "\(path): line 1: none of the 2 columns named in the header row is the question or the answer; name one question, answer or expected, or map one with --map COLUMN=answer (or =query)")
    }

    @Test func anUnclosedQuoteIsOneLineNamingWhereItOpensNotASwallowedRow() throws {
        let path = try file("bob.csv", "id,answer\n1,\"4\n2,Paris\n3,Rome\n")
        #expect(errorMessage("an unclosed quote") { _ = try ProblemSetFile.records(at: path, role: .responses) }
            == "\(path): line 2: a quote opens a cell there and never closes, so every row after it would be read as that one cell; close the quote, or remove it")
        // Quotes that close, doubled quotes and lines inside a quoted cell are read as they are.
        let fine = try file("ann.csv", "id,answer\n1,\"say \"\"hi\"\"\"\n2,\"def f():\n    return 1\"\n3,it's 4\"\n")
        #expect(try ProblemSetFile.records(at: fine, role: .responses).records.map { $0.record["answer"] } == ["say \"hi\"", "def f():\n    return 1", "it's 4\""])
    }

    @Test func anErrorNeverQuotesWhatTheFileHolds() throws {
        let secret = "root:$y$j9T$SECRETHASH:19000:0:99999:7:::"
        for (name, text) in [("eve.csv", secret + "\n"), ("eve.jsonl", #"{"id":1}"# + "\n" + secret + "\n"), ("eve.tsv", "a\tb\n" + secret + "\n")] {
            do {
                _ = try ProblemSetFile.records(at: try file(name, text), role: .responses)
            } catch {
                #expect(!"\(error)".contains("SECRETHASH") && !"\(error)".contains("root:"), "\(error)")
            }
        }
    }

    @Test func plainTextIsOneQuestionPerLineOrNumberedWithContinuations() throws {
        let lines = try ProblemSetFile.records(at: try file("set.txt", "What is 2+2?\n\nName a prime.\n"), role: .questions).records
        #expect(lines.map(\.record) == [["id": "1", "query": "What is 2+2?"], ["id": "2", "query": "Name a prime."]])
        let numbered = try ProblemSetFile.records(at: try file("bob.txt", "1. Paris\n2) def f():\n       return 1\nQ3: 84\n"), role: .responses).records
        #expect(numbered.map(\.record) == [["id": "1", "answer": "Paris"], ["id": "2", "answer": "def f():\n       return 1"], ["id": "3", "answer": "84"]])
    }

    @Test func aFileThatIsNotTextSaysWhatWasExpected() throws {
        let path = ScratchDirectory.file("loco", suffix: ".xlsx").path
        _ = FileManager.default.createFile(atPath: path, contents: Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00]))
        #expect(errorMessage("a binary file") { _ = try ProblemSetFile.records(at: path, role: .questions) }
            .hasSuffix("is not a text file: expected JSON Lines, CSV or TSV with a header row, or plain text with one question per line"))
    }

    @Test func formatsAreKnownByExtensionElseByTheFirstLine() {
        #expect(ProblemSetFile.format(path: "a.csv", firstLine: "x") == .csv)
        #expect(ProblemSetFile.format(path: "a", firstLine: #"{"query": "x"}"#) == .jsonl)
        #expect(ProblemSetFile.format(path: "a", firstLine: "question\tanswer") == .tsv)
        #expect(ProblemSetFile.format(path: "a", firstLine: "question,answer") == .csv)
        #expect(ProblemSetFile.format(path: "a", firstLine: "What is 1, 2 or 3?") == .text)
    }

    @Test func aProblemSetBecomesJSONLinesForTheStages() throws {
        let converted = try ProblemSetFile.asJSONLines(try file("set.csv", "question,answer\nWhat is 2+2?,4\n"))
        defer { unlink(converted.path) }
        #expect(converted.converted && converted.format == .csv)
        #expect(try String(contentsOfFile: converted.path, encoding: .utf8) == #"{"query":"What is 2+2?","expected":"4","id":"1"}"# + "\n")
        let jsonl = try file("set.jsonl", #"{"query":"x"}"# + "\n")
        #expect(try ProblemSetFile.asJSONLines(jsonl).path == jsonl)
    }
}
