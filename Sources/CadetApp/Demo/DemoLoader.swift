import CadetCore
import Fluent
import Foundation

/// What a capability's demo loader gets: the academy built from the published figures.
struct DemoContext: Sendable {
    let academy: DemoAcademy
    let hasher: PasswordHasher
}

/// Makes the database hold the demo academy: every capability loads its share, in the order of
/// `Capabilities.all`, in one transaction. Idempotent: what exists is left alone, so a second
/// run changes nothing (not even the audit log).
struct DemoLoader {
    let database: any Database
    let hasher: PasswordHasher
    let academy = DemoAcademy.build()

    struct Summary {
        var created = 0
    }

    func load() async throws -> Summary {
        let demo = DemoContext(academy: academy, hasher: hasher)
        return try await database.transaction { db in
            var summary = Summary()
            for capability in Capabilities.all {
                summary.created += try await capability.loadDemo(demo, on: db)
            }
            return summary
        }
    }
}

/// The directory's share: programmes, cohorts, phases, classes with their instructors, TAs and
/// trainees, mentors, and the demo's sign-in accounts with their roles.
struct DirectoryDemo {
    let academy: DemoAcademy
    let hasher: PasswordHasher

    func load(on db: any Database) async throws -> Int {
        let actor = Actor.demo
        var summary = DemoLoader.Summary()
        let people = PeopleService(database: db, actor: actor)
        for programmeData in academy.programmes {
            let programme = try await findOrCreateProgramme(programmeData.draft, db: db, summary: &summary)
            for cohortData in programmeData.cohorts {
                let cohort = try await findOrCreateCohort(cohortData, in: programme, db: db, summary: &summary)
                for person in cohortData.mentors {
                    let user = try await findOrCreate(person, people: people, db: db, summary: &summary)
                    try await RoleService(database: db, actor: actor).ensure(.mentor, for: user.id!, at: scope(of: cohort))
                }
                for classData in cohortData.classes {
                    try await loadClass(classData, cohort: cohort, people: people, db: db, summary: &summary)
                }
            }
        }
        for login in academy.logins {
            let user = try await findOrCreate(login.person, people: people, db: db, summary: &summary)
            if user.passwordHash == nil {
                user.passwordHash = try await hasher.hash(DemoAcademy.password)
                // The demo's people read their mail at the demo's own domain.
                user.emailVerifiedAt = Date()
                try await user.update(on: db)
            }
            try await RoleService(database: db, actor: actor).ensure(login.role, for: user.id!, at: try await grantScope(login, db: db))
        }
        return summary.created
    }

    private func loadClass(_ data: DemoAcademy.TrainingClass, cohort: Cohort, people: PeopleService, db: any Database, summary: inout DemoLoader.Summary) async throws {
        let instructor = try await findOrCreate(data.instructor, people: people, db: db, summary: &summary)
        let assistant = try await findOrCreate(data.assistant, people: people, db: db, summary: &summary)
        let service = ClassService(database: db, actor: .demo)
        let existing = try await TrainingClass.query(on: db).filter(\.$cohort.$id == cohort.id!).filter(\.$name == data.name).first()
        let trainingClass: TrainingClass
        if let existing {
            trainingClass = existing
        } else {
            trainingClass = try await service.create(in: cohort, ["name": data.name, "instructor_email": instructor.email, "assistant_email": assistant.email])
            summary.created += 1
        }
        let members = Set(try await ClassMember.query(on: db).filter(\.$trainingClass.$id == trainingClass.id!).with(\.$user).all().map(\.user.email))
        for person in data.trainees where !members.contains(person.email) {
            _ = try await findOrCreate(person, people: people, db: db, summary: &summary)
            try await service.addTrainee(email: person.email, to: trainingClass, in: cohort)
            summary.created += 1
        }
    }

    private func findOrCreateProgramme(_ draft: ProgrammeDraft, db: any Database, summary: inout DemoLoader.Summary) async throws -> Programme {
        if let existing = try await Programme.query(on: db).filter(\.$slug == draft.slug).first() { return existing }
        summary.created += 1
        return try await ProgrammeService(database: db, actor: .demo).create(["slug": draft.slug, "name": draft.name, "description": draft.description])
    }

    private func findOrCreateCohort(_ data: DemoAcademy.Cohort, in programme: Programme, db: any Database, summary: inout DemoLoader.Summary) async throws -> Cohort {
        if let existing = try await Cohort.query(on: db).filter(\.$programme.$id == programme.id!).filter(\.$slug == data.draft.slug).first() {
            return existing
        }
        let d = data.draft
        let service = CohortService(database: db, actor: .demo)
        let cohort = try await service.create(in: programme, ["slug": d.slug, "name": d.name, "capacity": String(d.capacity),
                                                                "starts_on": d.startsOn.iso, "ends_on": d.endsOn.iso,
                                                                "target_hours": d.targetHours.map(String.init) ?? ""])
        for phase in data.phases {
            try await service.addPhase(to: cohort, ["name": phase.name, "hours": String(phase.hours)])
        }
        summary.created += 1
        return cohort
    }

    private func findOrCreate(_ person: DemoAcademy.Person, people: PeopleService, db: any Database, summary: inout DemoLoader.Summary) async throws -> User {
        if let existing = try await User.query(on: db).filter(\.$email == person.email).first() { return existing }
        summary.created += 1
        return try await people.create(["name": person.name, "email": person.email])
    }

    private func scope(of cohort: Cohort) -> Scope {
        .cohort(CohortID(cohort.id!), in: ProgrammeID(cohort.$programme.id))
    }

    private func grantScope(_ login: DemoAcademy.Login, db: any Database) async throws -> Scope {
        guard let slug = login.programmeSlug, let programme = try await Programme.query(on: db).filter(\.$slug == slug).first() else {
            return .academy
        }
        guard let cohortSlug = login.cohortSlug,
              let cohort = try await Cohort.query(on: db).filter(\.$programme.$id == programme.id!).filter(\.$slug == cohortSlug).first() else {
            return .programme(ProgrammeID(programme.id!))
        }
        return scope(of: cohort)
    }
}
