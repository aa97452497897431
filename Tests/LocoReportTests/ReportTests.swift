import Foundation
import Testing
import LocoAnswers
@testable import LocoReport

@Suite struct ReportTests {
    @Test func theIntervalFitsTheMetric() {
        // Right-or-wrong items: Wilson's, as before.
        let shares = Array(repeating: 1.0, count: 46) + Array(repeating: 0.0, count: 54)
        #expect(ScoreInterval.ci95(shares).map { [$0.low, $0.high] } == [0.366, 0.557])
        #expect(ScoreInterval.ci95(shares)?.method == .wilson)
        // Means of scores between 0 and 1 (ROUGE-L): a bootstrap over items, the same every time,
        // narrower than Wilson's would claim for the same mean when the scores bunch together.
        let rouge = (0..<50).map { 0.4 + Double($0 % 5) * 0.02 }
        let interval = ScoreInterval.ci95(rouge)!
        #expect(interval.method == .bootstrap)
        #expect(interval.low < 0.44 && 0.44 < interval.high && interval.high - interval.low < 0.03, "\(interval)")
        #expect(ScoreInterval.ci95(rouge)! == interval)
        let wilson = WilsonInterval.ci95(0.44, 50)!
        #expect(wilson.high - wilson.low > 0.25)
        #expect(ScoreInterval.ci95([]) == nil)
    }

    @Test func wilsonIntervalsMatchTheGatesOwn() {
        // adapters/sentiment/eval/results.json: 0.46 and 0.89 over 100 items.
        #expect(Measurement.wilson(0.46, 100)! == (0.366, 0.557))
        #expect(Measurement.wilson(0.89, 100)! == (0.814, 0.937))
        #expect(Measurement.wilson(0, 50)! == (0, 0.071))
        #expect(Measurement.wilson(0.5, 0) == nil)
    }

    let rows = [ReportRow(adapter: "sentiment", metric: "classification", source: "ablation.json (first 50 items, 128 tokens)",
                          cells: ["base": Measurement(score: 0.5, items: 50), "adapter": Measurement(score: 0.9, items: 50)])]

    @Test func markdownHasEveryLayerAndMarksWhatWasNotRun() {
        let text = Render.markdown(rows)
        #expect(text.hasPrefix("| adapter | metric | from | base model | + RE2 | + RE2 + 5 votes | + RE2 + adapter | full stack |\n"))
        #expect(text.contains("| sentiment | classification (n=50) | ablation.json (first 50 items, 128 tokens) | 0.50 [0.37, 0.63] | — | — | 0.90 [0.79, 0.96] | — |"))
    }

    @Test func htmlIsOnePageWithAChartPerRow() {
        let page = Render.html(rows)
        #expect(page.hasPrefix("<!doctype html>"))
        #expect(!page.contains("src=") && !page.contains("href=") && !page.contains("<script"), "self-contained")
        #expect(page.components(separatedBy: "<svg").count == 2)
        // 0.9 of a 360-pixel axis, and the whisker from 0.786 to 0.957 of it.
        #expect(page.contains(#"<rect x="170" y="100" width="324" height="22""#))
        #expect(page.contains(#"x1="452" y1="111" x2="514""#), "\(page)")
        #expect(page.contains(">not run</text>"))
    }

    @Test func theGatesResultsFillTheRE2AndAdapterColumns() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loco-report-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("x/eval"), withIntermediateDirectories: true)
        try #"{"benchmark":{"metric":"exact_match","items":20},"base_score":0.25,"adapter_score":0.5,"settings":{"max_tokens":512}}"#
            .write(to: folder.appendingPathComponent("x/eval/results.json"), atomically: true, encoding: .utf8)
        let loaded = try ReportData.load(adaptersFolder: folder)
        #expect(loaded.count == 1)
        #expect(loaded[0].cells["re2"] == Measurement(score: 0.25, items: 20))
        #expect(loaded[0].cells["adapter"] == Measurement(score: 0.5, items: 20))
        #expect(loaded[0].cells["base"] == nil)
        #expect(loaded[0].source == "results.json (gate, 20 items, 512 tokens)")
    }

    @Test func eachFurtherBenchmarkOfTheGateIsARowOfItsOwn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loco-report-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("m/eval"), withIntermediateDirectories: true)
        try #"{"benchmark":{"metric":"numeric_match","items":100},"base_score":0.05,"adapter_score":0.6,"more_benchmarks":[{"name":"gsm8k","metric":"numeric_match","items":50,"base_score":0.02,"adapter_score":0.04}]}"#
            .write(to: folder.appendingPathComponent("m/eval/results.json"), atomically: true, encoding: .utf8)
        let loaded = try ReportData.load(adaptersFolder: folder)
        #expect(loaded.count == 2)
        #expect(loaded[1].source == "results.json (gate, gsm8k, 50 items)")
        #expect(loaded[1].cells["re2"] == Measurement(score: 0.02, items: 50) && loaded[1].cells["adapter"] == Measurement(score: 0.04, items: 50))
    }
}
