import Foundation
import Testing

/// `loco report` over the repository's own measurements.
@Suite struct ReportCLITests {
    @Test func theShippedResultsBecomeATableAndAPage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-report-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try shell("loco report -o \(quoted(dir.path))")
        #expect(r.status == 0, "\(r.stderr)")
        let markdown = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown == r.stdout)
        #expect(markdown.contains("| sentiment | classification (n=120) | results.json (gate, 120 items, 64 tokens) | — | 0.13 [0.08, 0.21] | — | 0.92 [0.85, 0.95] | — |"))
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("sentiment"))
    }

    @Test func nothingMeasuredIsAOneLineError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loco-empty-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "adapters: {}\n".write(to: dir.appendingPathComponent("registry.yaml"), atomically: true, encoding: .utf8)
        let r = try shell("loco-report -o \(quoted(dir.path))", environment: ["LOCO_REGISTRY": dir.appendingPathComponent("registry.yaml").path])
        #expect(r.status == 2)
        #expect(r.stderr == "loco-report: no adapter has eval/results.json or eval/ablation.json yet, and there is no bench/mixed/results.json: run loco eval NAME, or loco eval --mixed\n")
    }
}
