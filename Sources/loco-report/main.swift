import ArgumentParser
import Foundation
import LocoCLI
import LocoKit
import LocoReport

struct LocoReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loco-report",
        abstract: "Tabulate every adapter's measurements: base, + RE2, + votes, + adapter, full stack.",
        discussion: """
            Leads with the mixed benchmark (bench/mixed/results.json, `loco eval --mixed`): questions \
            from sources no adapter or router trained on, answered by the base model, + RE2, the \
            routed stack, + 5 votes and the right adapter forced, per domain. Then reads \
            adapters/<name>/eval/ablation.json (`loco eval NAME --ablation`) and \
            eval/results.json (`loco eval NAME`, the gate: its base run reads the question twice, so \
            it fills the + RE2 column) for every adapter beside the registry, and writes report.md \
            (a Markdown table) and report.html (one self-contained page: the table and an SVG chart \
            per row, bars with 95% Wilson intervals as whiskers and the item counts).
            """,
        version: LocoCLI.version)

    @Option(name: .shortAndLong, help: ArgumentHelp("Folder for report.md and report.html.", valueName: "dir"))
    var output = "."

    @OptionGroup var registryOptions: RegistryOptions

    func run() throws {
        do {
            let registry = try registryOptions.load()
            guard let folder = registry.location?.deletingLastPathComponent() else { throw ConfigError("the registry was not read from a file") }
            let rows = try ReportData.load(adaptersFolder: folder)
            let mixed = try ReportData.mixed(adaptersFolder: folder)
            guard !rows.isEmpty || mixed != nil else {
                throw ConfigError("no adapter has eval/results.json or eval/ablation.json yet, and there is no bench/mixed/results.json: run loco eval NAME, or loco eval --mixed")
            }
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let markdown = Render.markdown(rows, mixed: mixed)
            try markdown.write(toFile: output + "/report.md", atomically: true, encoding: .utf8)
            try Render.html(rows, mixed: mixed).write(toFile: output + "/report.html", atomically: true, encoding: .utf8)
            print(markdown, terminator: "")
            printError("loco-report: wrote \(output)/report.md and \(output)/report.html (\(rows.count) rows)")
        } catch {
            LocoCLI.fail("loco-report", error)
        }
    }
}

LocoCLI.main(LocoReportCommand.self, example: "loco-report -o /tmp/report && xdg-open /tmp/report/report.html")
