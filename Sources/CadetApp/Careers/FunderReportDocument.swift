import CadetCore
import Foundation

/// The funder's report on paper: A4 portrait, Korean with English beneath each figure's name,
/// the table of figures and each cohort's funnel as bars. Drawn with cairo and pango like the
/// certificates, so it prints the same everywhere and needs no browser.
struct FunderReportDocument {
    let report: FunderReport
    let generatedOn: CalendarDate

    static func json(_ report: FunderReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    func pdf(catalogue: Catalogue = .shared) -> Data {
        let ko = Localizer(locale: .korean, timeZone: .current, catalogue: catalogue)
        let en = Localizer(locale: .english, timeZone: .current, catalogue: catalogue)
        let korean = FunderReportTable(report, ko), english = FunderReportTable(report, en)
        let canvas = PDFCanvas(width: 595.28, height: 841.89, title: "\(ko("report.title")) · \(report.programmeName)")
        let margin = 40.0, width = canvas.pageWidth - 2 * margin, bottom = canvas.pageHeight - 50
        var y = margin
        y += canvas.text("\(ko("report.title")) · \(en("report.title"))", x: margin, y: y, width: width, font: "NanumGothic Bold 18") + 4
        y += canvas.text(report.programmeName, x: margin, y: y, width: width, font: "NanumGothic 11") + 2
        y += canvas.text("\(ko("report.generated_on", ["date": generatedOn.iso])) · \(en("report.generated_on", ["date": generatedOn.iso]))",
                         x: margin, y: y, width: width, font: "NanumGothic 8", gray: 0.4) + 12

        // The table, four value columns at a time.
        let labelWidth = 190.0
        for start in stride(from: 0, to: korean.columns.count, by: 4) {
            let columns = Array(start..<min(start + 4, korean.columns.count))
            let cell = (width - labelWidth) / Double(columns.count)
            func header() {
                for (i, column) in columns.enumerated() {
                    canvas.text(korean.columns[column], x: margin + labelWidth + Double(i) * cell, y: y, width: cell - 6, font: "NanumGothic Bold 8.5", align: .right)
                }
                y += 16
                canvas.box(x: margin, y: y - 3, width: width, height: 0.8, gray: 0.3)
            }
            header()
            for (row, (ko, en)) in zip(korean.rows, english.rows).enumerated() {
                if y > bottom - 24 {
                    canvas.newPage()
                    y = margin
                    header()
                }
                if row % 2 == 1 { canvas.box(x: margin, y: y - 2, width: width, height: 23, gray: 0.95) }
                canvas.text(ko.label, x: margin + 2, y: y, width: labelWidth - 8, font: "NanumGothic 7.5")
                canvas.text(en.label, x: margin + 2, y: y + 11.5, width: labelWidth - 8, font: "NanumGothic 5.5", gray: 0.45)
                for (i, column) in columns.enumerated() {
                    canvas.text(ko.values[column], x: margin + labelWidth + Double(i) * cell, y: y + 4, width: cell - 6, font: "NanumGothic 8", align: .right)
                }
                y += 23
            }
            y += 14
        }

        // Each cohort's funnel as bars, longest first.
        for cohort in report.cohorts {
            let steps = FunderReportController.funnel(cohort)
            if y > bottom - 110 {
                canvas.newPage()
                y = margin
            }
            y += canvas.text("\(ko("report.funnel_of", ["cohort": cohort.name])) · \(en("report.funnel_of", ["cohort": cohort.name]))",
                             x: margin, y: y, width: width, font: "NanumGothic Bold 9") + 4
            let top = Double(max(1, steps.map(\.1).max() ?? 1))
            for (key, value) in steps {
                canvas.text("\(ko("report.step.\(key)")) \(en("report.step.\(key)"))", x: margin, y: y, width: labelWidth - 8, font: "NanumGothic 7.5")
                let length = (width - labelWidth - 60) * Double(value) / top
                canvas.box(x: margin + labelWidth, y: y + 1, width: max(value > 0 ? 1 : 0, length), height: 9, gray: 0.35)
                canvas.text(value.grouped, x: margin + labelWidth + length + 4, y: y, width: 56, font: "NanumGothic 7.5")
                y += 14
            }
            y += 10
        }
        return canvas.finish()
    }
}
