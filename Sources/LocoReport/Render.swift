import Foundation
import LocoKit

/// The report as a Markdown table and as one self-contained HTML page with an SVG chart per row.
public enum Render {
    static func cell(_ m: Measurement?) -> String {
        guard let m else { return "—" }
        let ci = m.ci95.map { String(format: " [%.2f, %.2f]", $0.0, $0.1) } ?? ""
        return String(format: "%.2f", m.score) + ci
    }

    public static func markdown(_ rows: [ReportRow], mixed: JSONObject? = nil) -> String {
        var text = ""
        if let mixed {
            text += "## What users ask: the mixed benchmark\n\n" + MixedTable.markdown(mixed) + "\n## Each adapter's own benchmarks\n\n"
        }
        guard !rows.isEmpty else { return text }
        text += "| adapter | metric | from | " + ReportRow.titles.joined(separator: " | ") + " |\n"
        text += "|---|---|---|" + String(repeating: "---|", count: ReportRow.columns.count) + "\n"
        for row in rows {
            let items = Set(row.cells.values.map(\.items)).sorted().map(String.init).joined(separator: "/")
            text += "| \(row.adapter) | \(row.metric) (n=\(items)) | \(row.source) | "
                + ReportRow.columns.map { cell(row.cells[$0]) }.joined(separator: " | ") + " |\n"
        }
        text += "\nScores are fractions of the items; brackets are 95% Wilson intervals; — was not run.\n"
        return text
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Horizontal bars, one per layer, with the interval as a whisker and the item count.
    public static func svg(_ row: ReportRow) -> String {
        let barHeight = 22, gap = 8, left = 170, width = 360, top = 10
        let height = top * 2 + ReportRow.columns.count * (barHeight + gap)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(left + width + 150)\" height=\"\(height)\" role=\"img\" aria-label=\"\(escape(row.adapter)) \(escape(row.source))\">\n"
        s += "<line x1=\"\(left)\" y1=\"0\" x2=\"\(left)\" y2=\"\(height)\" stroke=\"#888\"/>\n"
        for (i, key) in ReportRow.columns.enumerated() {
            let y = top + i * (barHeight + gap)
            s += "<text x=\"\(left - 8)\" y=\"\(y + 15)\" text-anchor=\"end\" font-size=\"12\">\(escape(ReportRow.titles[i]))</text>\n"
            guard let m = row.cells[key] else {
                s += "<text x=\"\(left + 6)\" y=\"\(y + 15)\" font-size=\"12\" fill=\"#888\">not run</text>\n"
                continue
            }
            let w = Int((m.score * Double(width)).rounded())
            s += "<rect x=\"\(left)\" y=\"\(y)\" width=\"\(w)\" height=\"\(barHeight)\" fill=\"#4a7ab5\"><title>\(cell(m)), n=\(m.items)</title></rect>\n"
            if let ci = m.ci95 {
                let x0 = left + Int(ci.0 * Double(width)), x1 = left + Int(ci.1 * Double(width)), mid = y + barHeight / 2
                s += "<line x1=\"\(x0)\" y1=\"\(mid)\" x2=\"\(x1)\" y2=\"\(mid)\" stroke=\"#222\" stroke-width=\"2\"/>"
                s += "<line x1=\"\(x0)\" y1=\"\(mid - 5)\" x2=\"\(x0)\" y2=\"\(mid + 5)\" stroke=\"#222\"/><line x1=\"\(x1)\" y1=\"\(mid - 5)\" x2=\"\(x1)\" y2=\"\(mid + 5)\" stroke=\"#222\"/>\n"
            }
            s += "<text x=\"\(left + width + 8)\" y=\"\(y + 15)\" font-size=\"12\">\(escape(cell(m))) n=\(m.items)</text>\n"
        }
        return s + "</svg>"
    }

    public static func html(_ rows: [ReportRow], mixed: JSONObject? = nil, title: String = "LocoLLM evaluation report") -> String {
        var page = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(escape(title))</title>\n"
        page += "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;font-size:.9em}</style></head><body>\n"
        if let mixed {
            let header = ["", "overall"] + MixedTable.domains(mixed)
            page += "<h1>What users ask: the mixed benchmark</h1>\n<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
            for row in MixedTable.body(mixed) { page += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
            page += "</table>\n" + (MixedTable.routingLine(mixed).map { "<p>\(escape($0))</p>\n" } ?? "")
        }
        page += "<h1>\(escape(title))</h1>\n<p>Each layer of the stack on each adapter's held-out benchmark: scores are fractions of the items, whiskers and brackets 95% Wilson intervals.</p>\n"
        page += "<table><tr><th>adapter</th><th>metric</th><th>from</th>" + ReportRow.titles.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
        for row in rows {
            page += "<tr><td>\(escape(row.adapter))</td><td>\(escape(row.metric))</td><td>\(escape(row.source))</td>"
                + ReportRow.columns.map { "<td>\(escape(cell(row.cells[$0])))</td>" }.joined() + "</tr>\n"
        }
        page += "</table>\n"
        for row in rows {
            page += "<h2>\(escape(row.adapter)): \(escape(row.source))</h2>\n" + svg(row) + "\n"
        }
        return page + "</body></html>\n"
    }
}
