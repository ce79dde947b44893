import CadetCore
import Foundation

/// Small server-drawn SVG charts: readable without JavaScript, with an accessible title, and
/// always next to a table of the same numbers.
enum SVGCharts {
    struct Bar: Encodable { let label: String; let value: Int }
    struct Point { let label: String; let value: Double }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    /// Horizontal bars, one per row, with the number at the end of each.
    static func bars(_ rows: [Bar], title: String) -> String {
        let width = 560, labelWidth = 170, row = 22
        let height = max(row, rows.count * row) + 8
        let top = max(1, rows.map(\.value).max() ?? 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" class=\"chart\"><title>\(escape(title))</title>"
        for (i, bar) in rows.enumerated() {
            let y = i * row + 4
            let length = Int(Double(width - labelWidth - 60) * Double(bar.value) / Double(top))
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\" class=\"label\">\(escape(bar.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(length, bar.value > 0 ? 1 : 0))\" height=\"\(row - 8)\" class=\"bar\"/>"
            svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 15)\" class=\"value\">\(bar.value)</text>"
        }
        return svg + "</svg>"
    }

    /// Vertical columns over time, labelled at the first and last day.
    static func columns(_ rows: [Bar], title: String) -> String {
        let width = 560, height = 160, bottom = 130
        guard !rows.isEmpty else { return "" }
        let top = max(1, rows.map(\.value).max() ?? 1)
        let step = Double(width - 40) / Double(rows.count)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" class=\"chart\"><title>\(escape(title))</title>"
        for (i, bar) in rows.enumerated() {
            let h = Double(bottom - 10) * Double(bar.value) / Double(top)
            svg += "<rect x=\(quote(20 + Double(i) * step)) y=\(quote(Double(bottom) - h)) width=\(quote(max(1, step - 2))) height=\(quote(h)) class=\"bar\"><title>\(escape(bar.label)): \(bar.value)</title></rect>"
        }
        svg += "<text x=\"20\" y=\"\(bottom + 18)\" class=\"label\">\(escape(rows.first!.label))</text>"
        svg += "<text x=\"\(width - 20)\" y=\"\(bottom + 18)\" text-anchor=\"end\" class=\"label\">\(escape(rows.last!.label))</text>"
        svg += "<text x=\"20\" y=\"12\" class=\"value\">\(top)</text>"
        return svg + "</svg>"
    }

    /// A line rising with the round: the competition ratio as applications came in.
    static func line(_ points: [Point], title: String) -> String {
        let width = 560, height = 160, bottom = 130
        guard points.count > 0 else { return "" }
        let top = max(0.01, points.map(\.value).max() ?? 1)
        let step = points.count > 1 ? Double(width - 60) / Double(points.count - 1) : 0
        let coordinates = points.enumerated().map { i, p in
            String(format: "%.1f,%.1f", 30 + Double(i) * step, Double(bottom) - Double(bottom - 10) * p.value / top)
        }.joined(separator: " ")
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" class=\"chart\"><title>\(escape(title))</title>"
        svg += "<polyline points=\"\(coordinates)\" class=\"line\"/>"
        svg += "<text x=\"30\" y=\"\(bottom + 18)\" class=\"label\">\(escape(points.first!.label))</text>"
        svg += "<text x=\"\(width - 30)\" y=\"\(bottom + 18)\" text-anchor=\"end\" class=\"label\">\(escape(points.last!.label))</text>"
        svg += "<text x=\"\(width - 30)\" y=\"12\" text-anchor=\"end\" class=\"value\">\(String(format: "%.2f : 1", points.last!.value))</text>"
        return svg + "</svg>"
    }

    private static func quote(_ value: Double) -> String {
        "\"" + String(format: "%.1f", value) + "\""
    }
}
