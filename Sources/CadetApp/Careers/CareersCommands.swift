import ArgumentParser
import CadetCore
import Fluent
import Foundation

extension ReportCommand {
    /// `cadet report funder --programme P [--cohort C] [--format text|json|csv|pdf]`: the same
    /// figures as the report page, for a funder's portal or a cron job.
    struct Funder: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The funder's report of a programme or one of its cohorts.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv, pdf }

        @Option(help: "The programme's slug (e.g. gwangju-ai).") var programme: String
        @Option(help: "One cohort's slug (e.g. c1); all cohorts when left out.") var cohort: String?
        @Option(help: "text, json, csv or pdf.") var format: Format = .text
        @Option(help: "Write to this file instead of standard output (needed for pdf).") var output: String?

        func validate() throws {
            if format == .pdf && output == nil { throw ValidationError("--format pdf needs --output FILE") }
        }

        func run() async throws {
            let config = try CommandSupport.loadConfig()
            try await CommandSupport.withApp(config) { app in
                try await MigrationStatus.requireCurrent(app)
                guard let programme = try await Programme.query(on: app.db).filter(\.$slug == self.programme).first() else {
                    throw CommandFailure("--programme: no programme with slug \"\(self.programme)\"")
                }
                var cohorts = try await Cohort.query(on: app.db).filter(\.$programme.$id == programme.requireID()).all()
                if let wanted = self.cohort {
                    cohorts = cohorts.filter { $0.slug == wanted }
                    guard !cohorts.isEmpty else { throw CommandFailure("--cohort: \(self.programme) has no cohort \"\(wanted)\"") }
                }
                let report = try await FunderReportQueries.report(programme, cohorts: cohorts, zone: config.timeZone, on: app.db)
                let data: Data
                switch format {
                case .json: data = Data((try FunderReportDocument.json(report) + "\n").utf8)
                case .csv: data = Data((CSVWriter.byteOrderMark + CSVWriter.row(FunderReport.columns) + report.rows.map(CSVWriter.row).joined()).utf8)
                case .pdf: data = FunderReportDocument(report: report, generatedOn: CalendarDate(Date(), in: config.timeZone)).pdf()
                case .text: data = Data(Self.text(report).utf8)
                }
                if let output {
                    try data.write(to: URL(fileURLWithPath: output))
                    print("wrote \(output) (\(data.count) bytes)")
                } else {
                    FileHandle.standardOutput.write(data)
                }
            }
        }

        /// Figure by figure, in English, for a terminal.
        static func text(_ report: FunderReport) -> String {
            let table = FunderReportTable(report, Localizer(locale: .english, timeZone: .current))
            let width = table.rows.map(\.label.count).max() ?? 10
            var lines = ["\(report.programmeName): funder's report", String(repeating: " ", count: width) + "  " + table.columns.joined(separator: " | ")]
            for row in table.rows {
                lines.append(row.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + row.values.joined(separator: " | "))
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
