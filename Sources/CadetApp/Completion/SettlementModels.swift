import CadetCore
import Fluent
import Foundation

/// A tuition invoice to a sponsoring company for its trainees in a cohort, in whole KRW.
final class Invoice: Model, @unchecked Sendable {
    static let schema = "invoices"

    @ID(key: .id) var id: UUID?
    @Parent(key: "sponsorship_id") var sponsorship: Sponsorship
    @Parent(key: "cohort_id") var cohort: Cohort
    @Field(key: "number") var number: String
    @Field(key: "trainees") var trainees: Int
    @Field(key: "amount") var amount: Int
    @Field(key: "issued_at") var issuedAt: Date
    @Field(key: "issued_by") var issuedBy: String

    init() {}
}

/// Money received against an invoice.
final class Payment: Model, @unchecked Sendable {
    static let schema = "payments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "invoice_id") var invoice: Invoice
    @Field(key: "amount") var amount: Int
    @Field(key: "paid_on") var paidOn: String
    @Field(key: "reference") var reference: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

struct CreateSettlement: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Invoice.schema)
            .id()
            .field("sponsorship_id", .uuid, .required, .references(Sponsorship.schema, "id", onDelete: .cascade))
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("number", .string, .required)
            .field("trainees", .int, .required)
            .field("amount", .int64, .required)
            .field("issued_at", .datetime, .required)
            .field("issued_by", .string, .required)
            .unique(on: "number")
            .unique(on: "sponsorship_id", "cohort_id")
            .create()
        try await database.schema(Payment.schema)
            .id()
            .field("invoice_id", .uuid, .required, .references(Invoice.schema, "id", onDelete: .cascade))
            .field("amount", .int64, .required)
            .field("paid_on", .string, .required)
            .field("reference", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Payment.schema).delete()
        try await database.schema(Invoice.schema).delete()
    }
}
