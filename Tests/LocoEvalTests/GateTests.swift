import Testing
@testable import LocoEval
import LocoKit

@Suite struct GateTests {
    func record(_ source: String, _ value: Double?) -> JSONObject {
        var record: JSONObject = ["source": .string(source)]
        if let value { record[.score] = ["metric": "gleu", "value": JSONValue(value)] } else { record[.error] = "engine: timed out" }
        return record
    }

    @Test func theGatedBenchmarkIsScoredPerSourceWithAFailedAnswerAsZero() throws {
        let base = [record("JFLEG", 0.1), record("MRPC", 0.2), record("JFLEG", 0.3), record("MRPC", 0.4)]
        let adapter = [record("JFLEG", 0.5), record("MRPC", nil), record("JFLEG", 0.7), record("MRPC", 0.2)]
        let rows = Gate.bySource(base: base, adapter: adapter).compactMap(\.objectValue)
        #expect(rows.map { $0["source"]?.stringValue } == ["JFLEG", "MRPC"])
        #expect(rows.map { $0["items"]?.intValue } == [2, 2])
        #expect(rows.map { $0["base_score"]?.doubleValue } == [0.2, 0.3])
        #expect(rows.map { $0["adapter_score"]?.doubleValue } == [0.6, 0.1], "the record that failed scores 0")
        #expect(rows.map { $0["drop"]?.doubleValue } == [-0.4, 0.2])
        let interval = (rows[0]["adapter_ci95"]?.arrayValue ?? []).compactMap { $0.doubleValue }
        #expect(interval.count == 2 && interval[0] <= 0.6 && 0.6 <= interval[1])
    }
}
