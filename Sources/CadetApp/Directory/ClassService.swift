import CadetCore
import Fluent
import Foundation

/// Classes within a cohort: their instructor and TA (who get the matching role on the cohort)
/// and their trainees (who get the trainee role).
struct ClassService {
    let database: any Database
    let actor: Actor

    func create(in cohort: Cohort, _ values: [String: String]) async throws -> TrainingClass {
        let draft = try ClassDraft.parse(values)
        let cohortID = try cohort.requireID()
        if try await TrainingClass.query(on: database).filter(\.$cohort.$id == cohortID).filter(\.$name == draft.name).first() != nil {
            throw ValidationFailure([FieldIssue("name", .alreadyTaken)])
        }
        let staff = try await people(for: draft)
        let trainingClass = TrainingClass(cohortID: cohortID, name: draft.name, instructorID: staff.instructor?.id, assistantID: staff.assistant?.id)
        try await database.transaction { db in
            try await trainingClass.create(on: db)
            try await grantStaffRoles(staff, cohort: cohort, on: db)
            try await AuditLog.record(AuditEntry(action: "class.created", entityType: "class", entityID: trainingClass.id,
                                                 summary: "\(cohort.slug): \(draft.name)", programmeID: cohort.$programme.id, cohortID: cohortID,
                                                 after: ClassSnapshot(name: draft.name, instructor: staff.instructor?.email, assistant: staff.assistant?.email)),
                                      by: actor, on: db)
        }
        return trainingClass
    }

    func update(_ trainingClass: TrainingClass, in cohort: Cohort, _ values: [String: String]) async throws {
        let draft = try ClassDraft.parse(values)
        let cohortID = try cohort.requireID()
        if draft.name != trainingClass.name,
           try await TrainingClass.query(on: database).filter(\.$cohort.$id == cohortID).filter(\.$name == draft.name).first() != nil {
            throw ValidationFailure([FieldIssue("name", .alreadyTaken)])
        }
        let staff = try await people(for: draft)
        let before = try await snapshot(trainingClass)
        trainingClass.name = draft.name
        trainingClass.$instructor.id = staff.instructor?.id
        trainingClass.$assistant.id = staff.assistant?.id
        let after = ClassSnapshot(name: draft.name, instructor: staff.instructor?.email, assistant: staff.assistant?.email)
        guard after != before else { return }
        try await database.transaction { db in
            try await trainingClass.update(on: db)
            try await grantStaffRoles(staff, cohort: cohort, on: db)
            try await AuditLog.record(AuditEntry(action: "class.updated", entityType: "class", entityID: trainingClass.id,
                                                 summary: "\(cohort.slug): \(draft.name)", programmeID: cohort.$programme.id, cohortID: cohortID,
                                                 before: before, after: after), by: actor, on: db)
        }
    }

    func addTrainee(email rawEmail: String, to trainingClass: TrainingClass, in cohort: Cohort) async throws {
        let email = EmailAddress.normalise(rawEmail)
        guard !email.isEmpty else { throw ValidationFailure([FieldIssue("email", .required)]) }
        guard EmailAddress.isPlausible(email) else { throw ValidationFailure([FieldIssue("email", .invalidFormat)]) }
        guard let user = try await User.query(on: database).filter(\.$email == email).first(), let userID = user.id else {
            throw ValidationFailure([FieldIssue("email", .noAccount)])
        }
        let cohortID = try cohort.requireID()
        let classID = try trainingClass.requireID()
        if let existing = try await ClassMember.query(on: database).filter(\.$cohort.$id == cohortID).filter(\.$user.$id == userID).first() {
            if existing.$trainingClass.id == classID { return }
            throw ValidationFailure([FieldIssue("email", .alreadyTaken)])
        }
        try await database.transaction { db in
            try await ClassMember(classID: classID, cohortID: cohortID, userID: userID).create(on: db)
            try await RoleService(database: db, actor: actor).ensure(.trainee, for: userID, at: .cohort(CohortID(cohortID), in: ProgrammeID(cohort.$programme.id)))
            try await AuditLog.record(AuditEntry(action: "class.trainee_added", entityType: "class", entityID: classID,
                                                 summary: "\(trainingClass.name): \(email)", programmeID: cohort.$programme.id, cohortID: cohortID,
                                                 after: PersonSnapshot(user)), by: actor, on: db)
        }
    }

    func removeTrainee(_ userID: UUID, from trainingClass: TrainingClass, in cohort: Cohort) async throws {
        let classID = try trainingClass.requireID()
        guard let member = try await ClassMember.query(on: database).filter(\.$trainingClass.$id == classID).filter(\.$user.$id == userID).with(\.$user).first() else {
            throw DirectoryError.personNotFound
        }
        try await database.transaction { db in
            try await member.delete(on: db)
            try await AuditLog.record(AuditEntry(action: "class.trainee_removed", entityType: "class", entityID: classID,
                                                 summary: "\(trainingClass.name): \(member.user.email)", programmeID: cohort.$programme.id,
                                                 cohortID: cohort.id, before: PersonSnapshot(member.user)), by: actor, on: db)
        }
    }

    private struct Staff {
        let instructor: User?
        let assistant: User?
    }

    private func people(for draft: ClassDraft) async throws -> Staff {
        var issues: [FieldIssue] = []
        func find(_ email: String?, field: String) async throws -> User? {
            guard let email else { return nil }
            let user = try await User.query(on: database).filter(\.$email == email).first()
            if user == nil { issues.append(FieldIssue(field, .noAccount)) }
            return user
        }
        let staff = Staff(instructor: try await find(draft.instructorEmail, field: "instructor_email"),
                          assistant: try await find(draft.assistantEmail, field: "assistant_email"))
        if !issues.isEmpty { throw ValidationFailure(issues) }
        return staff
    }

    private func grantStaffRoles(_ staff: Staff, cohort: Cohort, on db: any Database) async throws {
        let scope = Scope.cohort(CohortID(try cohort.requireID()), in: ProgrammeID(cohort.$programme.id))
        let roles = RoleService(database: db, actor: actor)
        if let id = staff.instructor?.id { try await roles.ensure(.instructor, for: id, at: scope) }
        if let id = staff.assistant?.id { try await roles.ensure(.teachingAssistant, for: id, at: scope) }
    }

    private func snapshot(_ c: TrainingClass) async throws -> ClassSnapshot {
        let instructor = try await User.find(c.$instructor.id, on: database)
        let assistant = try await User.find(c.$assistant.id, on: database)
        return ClassSnapshot(name: c.name, instructor: instructor?.email, assistant: assistant?.email)
    }
}
