import Foundation
import Testing
@testable import LocoKit
import LocoTestSupport

@Suite struct RecordFieldTests {
    /// The names in code and the schema users read are the same list, in the same order.
    @Test func everyFieldIsInTheSchemaAndEverySchemaFieldIsInCode() throws {
        let schema = checkoutRoot.appendingPathComponent("docs/record.schema.json")
        let data = try #require(FileManager.default.contents(atPath: schema.path))
        let parsed = try JSONParser.parse([UInt8](data))
        let properties = try #require(parsed.objectValue?["properties"]?.objectValue)
        #expect(properties.map(\.key) == RecordField.allCases.map(\.rawValue))
    }
}
