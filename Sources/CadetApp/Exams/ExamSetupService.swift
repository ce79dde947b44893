import CadetCore
import Fluent
import Foundation
import SQLKit
import Synchronization

/// Staff's side of a round's test before and around the day: its timing, its content, the
/// attempts prepared in advance, and extra time for those who need it. Every change is audited.
struct ExamSetupService {
    let database: any Database
    let actor: Actor

    /// Applications in these stages sit the test.
    static let eligibleStages: [ApplicationStage] = [.submitted, .documentsPassed, .tested]

    static func exam(of roundID: UUID, on database: any Database) async throws -> Exam? {
        try await Exam.query(on: database).filter(\.$round.$id == roundID).first()
    }

    struct TimingSnapshot: Codable, Sendable {
        let windowStart: Date, windowEnd: Date, durationMinutes: Int, lateStartMinutes: Int, graceSeconds: Int
        init(_ t: ExamTiming) {
            windowStart = t.windowStart; windowEnd = t.windowEnd; durationMinutes = t.durationMinutes
            lateStartMinutes = t.lateStartMinutes; graceSeconds = t.graceSeconds
        }
    }

    /// Creates the test or changes its timing. Attempts already under way get their deadlines
    /// recomputed, so moving the window's end (after an outage, say) reaches everyone at once.
    @discardableResult
    func saveTiming(_ values: [String: String], round: RecruitmentRound, zone: TimeZone) async throws -> Exam {
        let timing = try ExamTiming.parse(values, zone: zone)
        return try await database.transaction { db in
            let existing = try await Self.exam(of: round.id!, on: db)
            let exam = existing ?? Exam()
            let before = existing.map { TimingSnapshot($0.timing) }
            if existing == nil {
                exam.$round.id = round.id!
                exam.definitionJSON = ExamDefinition.empty.json
                exam.version = 0
            }
            exam.apply(timing)
            try await exam.save(on: db)
            try await Self.recomputeDeadlines(exam: exam, on: db)
            try await AuditLog.record(AuditEntry(action: existing == nil ? "exam.create" : "exam.timing", entityType: "exam", entityID: exam.id,
                                                 summary: "Admission test timing", cohortID: round.$cohort.id,
                                                 before: before, after: TimingSnapshot(timing)), by: actor, on: db)
            return exam
        }
    }

    /// Replaces the content. Refused, with every problem named, when it does not check out, or
    /// when it would drop a question that a started paper holds.
    func saveDefinition(_ data: Data, exam: Exam, cohortID: UUID) async throws {
        guard data.count <= 4 << 20 else { throw ExamError.definitionUnreadable("larger than 4 MB") }
        let definition = try ExamDefinition.decode(data)
        var problems = definition.problems()
        let started = try await ExamAttempt.query(on: database).filter(\.$exam.$id == exam.id!)
            .filter(\.$status != .prepared).all()
        let known = Set(definition.questions.keys)
        let missing = Set(started.flatMap { $0.paper.items.map(\.question) }).subtracting(known).sorted()
        if !missing.isEmpty { problems.append("questions \(missing.joined(separator: ", ")) are on papers already started and must stay") }
        guard problems.isEmpty else { throw ExamError.definitionInvalid(problems) }
        let old = ExamDefinitionCache.definition(of: exam)
        try await database.transaction { db in
            exam.definitionJSON = definition.json
            exam.version += 1
            try await exam.save(on: db)
            try await Self.redrawUnstarted(exam: exam, definition: definition, on: db)
            try await AuditLog.record(AuditEntry(action: "exam.definition", entityType: "exam", entityID: exam.id,
                                                 summary: "Admission test content, version \(exam.version)", cohortID: cohortID,
                                                 before: ["questions": old.questions.count, "version": exam.version - 1],
                                                 after: ["questions": definition.questions.count, "version": exam.version]), by: actor, on: db)
        }
    }

    /// Creates an attempt, with its paper, for every eligible applicant who has none. Run again
    /// after late decisions; existing attempts are left as they are. Returns how many it made.
    @discardableResult
    func prepare(exam: Exam, round: RecruitmentRound) async throws -> Int {
        let definition = ExamDefinitionCache.definition(of: exam)
        guard !definition.sections.isEmpty, definition.problems().isEmpty else { throw ExamError.definitionInvalid(definition.problems()) }
        let created: Int = try await database.transaction { db in
            let have = Set(try await ExamAttempt.query(on: db).filter(\.$exam.$id == exam.id!).all(\.$applicant.$id))
            let applicants = try await Applicant.query(on: db).filter(\.$round.$id == round.id!)
                .filter(\.$stage ~~ Self.eligibleStages).all()
            let attempts = applicants.filter { !have.contains($0.id!) }.map { applicant in
                let attempt = ExamAttempt()
                attempt.id = UUID()
                attempt.$exam.id = exam.id!
                attempt.$applicant.id = applicant.id!
                attempt.userID = applicant.$user.id
                attempt.paperJSON = Self.paperJSON(for: attempt.id!, definition: definition, version: exam.version)
                attempt.paperVersion = exam.version
                attempt.status = .prepared
                attempt.extraMinutes = 0
                return attempt
            }
            // SQLite takes at most 32,766 values a statement; 500 rows stay well inside it.
            for start in stride(from: 0, to: attempts.count, by: 500) {
                try await Array(attempts[start..<min(start + 500, attempts.count)]).create(on: db)
            }
            exam.preparedAt = Date()
            try await exam.save(on: db)
            try await AuditLog.record(AuditEntry(action: "exam.prepare", entityType: "exam", entityID: exam.id,
                                                 summary: "Prepared \(attempts.count) attempts", cohortID: round.$cohort.id), by: actor, on: db)
            return attempts.count
        }
        return created
    }

    /// An accommodation: more minutes for one applicant, applied at once if they have started.
    func grantExtraTime(_ raw: String?, attempt: ExamAttempt, exam: Exam, cohortID: UUID) async throws {
        var reader = FieldReader(["extra_minutes": raw ?? ""])
        let minutes = reader.integer("extra_minutes", in: 0...600)
        try reader.check()
        let before = attempt.extraMinutes
        attempt.extraMinutes = minutes!
        if let started = attempt.startedAt {
            let deadline = exam.timing.deadline(startedAt: started, extraMinutes: attempt.extraMinutes)
            attempt.deadlineAt = deadline
            attempt.savesUntil = deadline.addingTimeInterval(TimeInterval(exam.graceSeconds))
        }
        try await database.transaction { db in
            try await attempt.save(on: db)
            try await AuditLog.record(AuditEntry(action: "exam.extra_time", entityType: "exam_attempt", entityID: attempt.id,
                                                 summary: "Extra time \(before) → \(attempt.extraMinutes) minutes", cohortID: cohortID,
                                                 before: ["extra_minutes": before], after: ["extra_minutes": attempt.extraMinutes]), by: actor, on: db)
        }
    }

    static func paperJSON(for attemptID: UUID, definition: ExamDefinition, version: Int) -> String {
        let paper = Paper.draw(definition.plan, seed: Paper.seed("\(attemptID.uuidString)/\(version)"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(paper)) ?? Data(), as: UTF8.self)
    }

    private static func redrawUnstarted(exam: Exam, definition: ExamDefinition, on db: any Database) async throws {
        let waiting = try await ExamAttempt.query(on: db).filter(\.$exam.$id == exam.id!)
            .filter(\.$status == .prepared).all()
        for attempt in waiting {
            attempt.paperJSON = paperJSON(for: attempt.id!, definition: definition, version: exam.version)
            attempt.paperVersion = exam.version
            try await attempt.save(on: db)
        }
    }

    private static func recomputeDeadlines(exam: Exam, on db: any Database) async throws {
        let running = try await ExamAttempt.query(on: db).filter(\.$exam.$id == exam.id!)
            .filter(\.$status == .started).all()
        for attempt in running {
            guard let started = attempt.startedAt else { continue }
            let deadline = exam.timing.deadline(startedAt: started, extraMinutes: attempt.extraMinutes)
            attempt.deadlineAt = deadline
            attempt.savesUntil = deadline.addingTimeInterval(TimeInterval(exam.graceSeconds))
            try await attempt.save(on: db)
        }
    }
}

/// Decoded exam content, kept per exam and version: the hot paths (saving, submitting) must not
/// parse the whole test each time.
enum ExamDefinitionCache {
    private static let cache = Mutex<[UUID: (version: Int, definition: ExamDefinition)]>([:])

    static func definition(of exam: Exam) -> ExamDefinition {
        guard let id = exam.id else { return (try? ExamDefinition.decode(Data(exam.definitionJSON.utf8))) ?? .empty }
        return definition(examID: id, version: exam.version, json: exam.definitionJSON)
    }

    /// For an exam read without its content (the taker's hot paths): the content is fetched only
    /// when this version is not in the cache yet.
    static func definition(of exam: Exam, on database: any Database) async throws -> ExamDefinition {
        guard let id = exam.id else { return .empty }
        if !exam.definitionJSON.isEmpty { return definition(of: exam) }
        return try await definition(examID: id, version: exam.version, on: database)
    }

    static func definition(examID: UUID, version: Int, on database: any Database) async throws -> ExamDefinition {
        if let hit = cache.withLock({ $0[examID] }), hit.version == version { return hit.definition }
        let json = try await (database as! any SQLDatabase).select().column("definition_json").from(Exam.schema).where("id", .equal, examID)
            .first()?.decode(column: "definition_json", as: String.self) ?? ""
        return definition(examID: examID, version: version, json: json)
    }

    static func definition(examID: UUID, version: Int, json: @autoclosure () -> String) -> ExamDefinition {
        if let hit = cache.withLock({ $0[examID] }), hit.version == version { return hit.definition }
        let definition = (try? ExamDefinition.decode(Data(json().utf8))) ?? .empty
        cache.withLock { $0[examID] = (version, definition) }
        return definition
    }
}
