import CadetCore
import Fluent
import Foundation
import SQLKit

/// A recruit day or job fair (채용 박람회): partner companies interview the programme's trainees
/// in short slots that trainees book themselves.
final class RecruitDay: Model, @unchecked Sendable {
    static let schema = "recruit_days"

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "title") var title: String
    @Field(key: "day") var day: String
    @Field(key: "place") var place: String

    init() {}
}

/// One interview slot with one company; `trainee` is whoever booked it.
final class InterviewSlot: Model, @unchecked Sendable {
    static let schema = "interview_slots"

    @ID(key: .id) var id: UUID?
    @Parent(key: "recruit_day_id") var recruitDay: RecruitDay
    @Parent(key: "company_id") var company: Company
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "minutes") var minutes: Int
    @OptionalParent(key: "trainee_id") var trainee: User?

    init() {}
}

struct CreateRecruitDays: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RecruitDay.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("day", .string, .required)
            .field("place", .string, .required)
            .create()
        try await database.schema(InterviewSlot.schema)
            .id()
            .field("recruit_day_id", .uuid, .required, .references(RecruitDay.schema, "id", onDelete: .cascade))
            .field("company_id", .uuid, .required, .references(Company.schema, "id", onDelete: .cascade))
            .field("starts_at", .datetime, .required)
            .field("minutes", .int, .required)
            .field("trainee_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            // Named: PostgreSQL cuts generated names at 63 bytes, and these two would then clash.
            .unique(on: "recruit_day_id", "company_id", "starts_at", name: "interview_slots_one_per_time")
            // One slot per trainee per company and day (free slots' NULLs never clash).
            .unique(on: "recruit_day_id", "company_id", "trainee_id", name: "interview_slots_one_per_trainee")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(InterviewSlot.schema).delete()
        try await database.schema(RecruitDay.schema).delete()
    }
}

/// Recruit days: staff set the day and each company's slots; trainees book and cancel. Booking
/// is one conditional UPDATE, so two trainees pressing at once cannot both get a slot.
struct RecruitDayService {
    let database: any Database
    let actor: Actor

    func create(_ draft: RecruitDayDraft, in programme: DirectoryLookup.ProgrammeRef) async throws -> RecruitDay {
        let day = RecruitDay()
        day.$programme.id = programme.id
        day.title = draft.title
        day.day = draft.day.iso
        day.place = draft.place
        try await database.transaction { db in
            try await day.create(on: db)
            try await AuditLog.record(AuditEntry(action: "careers.recruit_day_created", entityType: "recruit_day", entityID: day.id,
                                                 summary: "\(draft.title) on \(draft.day.iso)", programmeID: programme.id), by: actor, on: db)
        }
        return day
    }

    /// A company's slots from `from` to `to` (minutes of the day), `length` minutes each.
    func addSlots(_ draft: SlotsDraft, company: Company, to day: RecruitDay, zone: TimeZone) async throws -> Int {
        let date = CalendarDate(iso: day.day)!
        let existing = Set(try await InterviewSlot.query(on: database).filter(\.$recruitDay.$id == day.requireID()).filter(\.$company.$id == company.requireID())
            .all().map(\.startsAt))
        let slots = draft.starts.map { date.moment(atMinute: $0, in: zone) }.filter { !existing.contains($0) }.map { start -> InterviewSlot in
            let slot = InterviewSlot()
            slot.$recruitDay.id = day.id!
            slot.$company.id = company.id!
            slot.startsAt = start
            slot.minutes = draft.length
            return slot
        }
        try await database.transaction { db in
            try await slots.create(on: db)
            try await AuditLog.record(AuditEntry(action: "careers.slots_added", entityType: "recruit_day", entityID: day.id,
                                                 summary: "\(company.name): \(slots.count) slots of \(draft.length) min", programmeID: day.$programme.id), by: actor, on: db)
        }
        return slots.count
    }

    /// Books the slot for the trainee if it is still free and they hold no other slot with the
    /// same company that day.
    func book(_ slot: InterviewSlot, for traineeID: UUID) async throws {
        let sql = database as! any SQLDatabase
        let sameCompany = try await InterviewSlot.query(on: database).filter(\.$recruitDay.$id == slot.$recruitDay.id).filter(\.$company.$id == slot.$company.id)
            .filter(\.$trainee.$id == traineeID).count()
        guard sameCompany == 0 else { throw CareersError.slotAlreadyHeld }
        let rows: [any SQLRow]
        do {
            rows = try await sql.update(InterviewSlot.schema).set("trainee_id", to: traineeID)
                .where("id", .equal, slot.requireID()).where("trainee_id", .is, SQLLiteral.null).returning("id").all()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same trainee, pressing for two of the company's slots at once.
            throw CareersError.slotAlreadyHeld
        }
        guard !rows.isEmpty else { throw CareersError.slotTaken }
        try await AuditLog.record(AuditEntry(action: "careers.slot_booked", entityType: "interview_slot", entityID: slot.id, summary: "booked"), by: actor, on: database)
    }

    func cancel(_ slot: InterviewSlot, for traineeID: UUID) async throws {
        let sql = database as! any SQLDatabase
        try await sql.update(InterviewSlot.schema).set("trainee_id", to: SQLLiteral.null)
            .where("id", .equal, slot.requireID()).where("trainee_id", .equal, traineeID).run()
        try await AuditLog.record(AuditEntry(action: "careers.slot_cancelled", entityType: "interview_slot", entityID: slot.id, summary: "cancelled"), by: actor, on: database)
    }
}
