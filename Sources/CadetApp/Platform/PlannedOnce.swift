import Foundation
import FluentPostgresDriver
import Logging
import SQLKit

/// A read that PostgreSQL plans once per connection instead of at every call.
///
/// Cadet's queries go to PostgreSQL as unnamed statements, which the server parses and plans
/// each time. For the joined reads of a test morning the planning cost more than the reading:
/// `pg_stat_statements` on a 3,000-taker run gave the attempt's read 0.27 ms of planning and
/// 0.04 ms of execution a call, three calls a taker (docs/exams.md). A read conforming here is
/// prepared on each pooled connection the first time that connection runs it, and afterwards only
/// bound and executed. On SQLite the same text runs as it always did, its `$n` bound as SQLKit
/// binds any value.
protocol PlannedOnce: PostgresPreparedStatement where Row == PostgresRow {
    /// The query, its parameters written `$1`, `$2`, … in the order `parameters` lists them.
    static var sql: String { get }
    var parameters: [any PostgresEncodable & Encodable & Sendable] { get }
}

extension PlannedOnce {
    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        for parameter in parameters { try bindings.append(parameter) }
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }

    /// The rows, prepared once on PostgreSQL, as an ordinary statement elsewhere.
    func all(on database: any Database) async throws -> [any SQLRow] {
        guard let postgres = database as? any PostgresDatabase else {
            return try await (database as! any SQLDatabase).raw(bound()).all()
        }
        return try await postgres.rows(of: self, logger: database.logger)
    }

    func first(on database: any Database) async throws -> (any SQLRow)? {
        try await all(on: database).first
    }

    /// The text with each `$n` as a bound value, in the form SQLKit writes for the database.
    private func bound() -> SQLQueryString {
        var query = SQLQueryString("")
        var rest = Substring(Self.sql)
        while let dollar = rest.firstIndex(of: "$") {
            query.appendLiteral(String(rest[..<dollar]))
            let digits = rest[rest.index(after: dollar)...].prefix { $0.isASCII && $0.isNumber }
            query.appendInterpolation(bind: parameters[Int(digits)! - 1])
            rest = rest[digits.endIndex...]
        }
        query.appendLiteral(String(rest))
        return query
    }
}

extension PostgresDatabase {
    /// Runs a statement prepared once per connection and returns its rows: on the hot path's
    /// client outside a transaction (PostgresHotPath), on this database's connection inside one.
    func rows<Statement: PostgresPreparedStatement>(of statement: Statement, logger: Logger) async throws -> [any SQLRow]
    where Statement.Row == PostgresRow {
        if let client = PostgresHotPath.client(of: self) {
            var rows: [any SQLRow] = []
            for try await row in try await client.execute(statement, logger: logger) { rows.append(row.sql()) }
            return rows
        }
        return try await withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                var rows: [any SQLRow] = []
                for try await row in try await connection.execute(statement, logger: logger) { rows.append(row.sql()) }
                return rows
            }
        }.get()
    }
}

extension PostgresBindings {
    /// The values in order as `$1`, `$2`, …; a nil is bound as NULL.
    init<each Value: PostgresThrowingDynamicTypeEncodable>(_ value: repeat (each Value)?) throws {
        self.init()
        repeat try append(each value)
    }
}
