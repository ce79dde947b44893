import Foundation

/// What is wrong with an uploaded answer key or prediction file, line by line.
public struct LeaderboardFileFailure: Error, Equatable, Sendable {
    public struct Issue: Equatable, Sendable {
        /// The physical line, from 1 (the header); 0 for what is missing from the whole file.
        public let line: Int
        public let problem: Problem
        /// The offending id or cell, for the message.
        public let value: String
    }

    public enum Problem: String, Sendable {
        case csv, empty, header, columns
        case emptyID = "empty_id"
        case duplicateID = "duplicate_id"
        case unknownID = "unknown_id"
        case missingID = "missing_id"
        case emptyValue = "empty_value"
        case notANumber = "not_a_number"
        case notAProbability = "not_a_probability"
        case notBinary = "not_binary"
        /// A probability metric's key needs both classes in the public and in the private part.
        case oneClass = "one_class"
    }

    /// The first issues found (at most `shown`) and how many there were in all.
    public let issues: [Issue]
    public let total: Int
    public static let shown = 20

    init(_ all: [Issue]) {
        issues = Array(all.prefix(Self.shown))
        total = all.count
    }
}

/// The hidden labels of a hackathon: `id,<target>` rows, ids unique, each label valid for the
/// metric. Kept on the server; teams never see it.
public struct AnswerKey: Equatable, Sendable {
    public let header: [String]
    public let ids: [String]
    public let labels: [String]

    public static func parse(_ bytes: [UInt8], metric: LeaderboardMetric) throws(LeaderboardFileFailure) -> AnswerKey {
        let records = try LeaderboardCSV.records(bytes)
        var issues: [LeaderboardFileFailure.Issue] = []
        var seen = Set<String>(), ids: [String] = [], labels: [String] = []
        for record in records.dropFirst() {
            guard record.fields.count == 2 else { issues.append(.init(line: record.line, problem: .columns, value: String(record.fields.count))); continue }
            let id = record.fields[0].trimmingCharacters(in: .whitespaces), label = record.fields[1].trimmingCharacters(in: .whitespaces)
            if id.isEmpty { issues.append(.init(line: record.line, problem: .emptyID, value: "")); continue }
            if !seen.insert(id).inserted { issues.append(.init(line: record.line, problem: .duplicateID, value: id)); continue }
            if let problem = LeaderboardCSV.problem(label, kind: metric.labelKind, binary: true) {
                issues.append(.init(line: record.line, problem: problem, value: label))
                continue
            }
            ids.append(id)
            labels.append(metric.labelKind == .probability ? String(Int(Double(label)!)) : label)
        }
        if ids.isEmpty && issues.isEmpty { issues.append(.init(line: 0, problem: .empty, value: "")) }
        guard issues.isEmpty else { throw LeaderboardFileFailure(issues) }
        return AnswerKey(header: records[0].fields, ids: ids, labels: labels)
    }

    /// The key as stored: CSV with the header, one row per id, in order.
    public var csv: String {
        ([header.joined(separator: ",")] + zip(ids, labels).map { "\(LeaderboardCSV.quoted($0)),\(LeaderboardCSV.quoted($1))" }).joined(separator: "\n") + "\n"
    }

    /// Checks that each part can be scored: both classes present where the metric needs them.
    public func checkParts(publicIDs: Set<String>, metric: LeaderboardMetric) throws(LeaderboardFileFailure) {
        guard metric == .rocAUC else { return }
        for part in [true, false] {
            let classes = Set(zip(ids, labels).filter { publicIDs.contains($0.0) == part }.map(\.1))
            if classes.count < 2 { throw LeaderboardFileFailure([.init(line: 0, problem: .oneClass, value: part ? "public" : "private")]) }
        }
    }
}

/// A team's predictions: the key's header, one row per id of the key, in any order.
public enum PredictionFile {
    /// The predictions in the key's order.
    public static func parse(_ bytes: [UInt8], key: AnswerKey, metric: LeaderboardMetric) throws(LeaderboardFileFailure) -> [String] {
        let records = try LeaderboardCSV.records(bytes)
        var issues: [LeaderboardFileFailure.Issue] = []
        let header = records[0].fields.map { $0.trimmingCharacters(in: .whitespaces) }
        if header != key.header { issues.append(.init(line: 1, problem: .header, value: key.header.joined(separator: ","))) }
        let position = Dictionary(key.ids.enumerated().map { ($1, $0) }) { a, _ in a }
        var values = [String?](repeating: nil, count: key.ids.count)
        for record in records.dropFirst() {
            guard record.fields.count == 2 else { issues.append(.init(line: record.line, problem: .columns, value: String(record.fields.count))); continue }
            let id = record.fields[0].trimmingCharacters(in: .whitespaces), value = record.fields[1].trimmingCharacters(in: .whitespaces)
            guard let index = position[id] else { issues.append(.init(line: record.line, problem: id.isEmpty ? .emptyID : .unknownID, value: id)); continue }
            guard values[index] == nil else { issues.append(.init(line: record.line, problem: .duplicateID, value: id)); continue }
            if let problem = LeaderboardCSV.problem(value, kind: metric.predictionKind, binary: false) {
                issues.append(.init(line: record.line, problem: problem, value: value))
                continue
            }
            values[index] = value
        }
        if issues.isEmpty {
            for (index, value) in values.enumerated() where value == nil { issues.append(.init(line: 0, problem: .missingID, value: key.ids[index])) }
        }
        guard issues.isEmpty else { throw LeaderboardFileFailure(issues) }
        return values.map { $0! }
    }
}

enum LeaderboardCSV {
    static func records(_ bytes: [UInt8]) throws(LeaderboardFileFailure) -> [CSVParser.Record] {
        let records: [CSVParser.Record]
        do {
            records = try CSVParser().parse(bytes).filter { $0.fields != [""] }
        } catch {
            throw LeaderboardFileFailure([.init(line: error.line, problem: .csv, value: error.reason.rawValue)])
        }
        guard let first = records.first else { throw LeaderboardFileFailure([.init(line: 0, problem: .empty, value: "")]) }
        guard first.fields.count == 2 else { throw LeaderboardFileFailure([.init(line: first.line, problem: .header, value: "id,target")]) }
        return records
    }

    /// Why a cell is not a valid value of its kind, or nil. Not-a-number and infinities are
    /// refused by name: a model's NaN must not score as anything.
    static func problem(_ cell: String, kind: LeaderboardMetric.Kind, binary: Bool) -> LeaderboardFileFailure.Problem? {
        if cell.isEmpty { return .emptyValue }
        switch kind {
        case .label: return nil
        case .number:
            guard cell.utf8.count <= 40, let value = Double(cell), value.isFinite else { return .notANumber }
            return nil
        case .probability:
            guard cell.utf8.count <= 40, let value = Double(cell), value.isFinite else { return .notANumber }
            if binary { return value == 0 || value == 1 ? nil : .notBinary }
            return (0...1).contains(value) ? nil : .notAProbability
        }
    }

    static func quoted(_ cell: String) -> String {
        cell.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }
}
