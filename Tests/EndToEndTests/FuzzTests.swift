import Foundation
import Testing

/// 100k hostile lines per stage (scripts/fuzz.py, seeded): no crash, no hang, one line out per
/// line in, each a good record or an error record naming its line.
@Suite struct FuzzTests {
    @Test(arguments: ["loco-route", "loco-prompt", "loco-gen", "loco-vote", "loco-score"])
    func hundredThousandHostileLines(stage: String) throws {
        let r = try shell("python3 scripts/fuzz.py --stage \(stage) --lines 100000 --seed 20261126 --bin \(quoted(E2E.bin)) --timeout 300",
                          timeout: 600)
        let figures = try jsonObject(r.stdout)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(figures["crashes"] as? Int == 0)
        #expect(figures["hangs"] as? Int == 0)
        #expect(figures["lines_out"] as? Int == 100_000)
        #expect(figures["contract_violations"] as? Int == 0, "\(figures["examples"] ?? "")")
        #expect((figures["good"] as? Int ?? 0) > 0 || stage == "loco-gen")
        #expect((figures["error_records"] as? Int ?? 0) > 0)
    }
}
