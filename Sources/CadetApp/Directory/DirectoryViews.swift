import CadetCore
import Foundation

/// Rows the directory pages show: plain values, never models.
enum DirectoryViews {
    struct ProgrammeRow: Encodable {
        let slug: String
        let name: String
        let href: String
        let cohortCount: Int

        init(_ p: Programme, cohortCount: Int) {
            slug = p.slug
            name = p.name
            href = "/programmes/\(p.slug)"
            self.cohortCount = cohortCount
        }
    }

    struct CohortRow: Encodable {
        let slug: String
        let name: String
        let href: String
        let startsOn: String
        let endsOn: String
        let capacity: Int
        let targetHours: Int?
        let classCount: Int

        init(_ c: Cohort, programmeSlug: String, classCount: Int) {
            slug = c.slug
            name = c.name
            href = "/programmes/\(programmeSlug)/cohorts/\(c.slug)"
            startsOn = c.startsOn
            endsOn = c.endsOn
            capacity = c.capacity
            targetHours = c.targetHours
            self.classCount = classCount
        }
    }

    struct PhaseRow: Encodable {
        let id: UUID
        let position: Int
        let name: String
        let hours: Int
    }

    struct ClassRow: Encodable {
        let id: UUID
        let name: String
        let href: String
        let instructor: String?
        let instructorEmail: String?
        let assistant: String?
        let assistantEmail: String?
        let traineeCount: Int
    }

    struct PersonRow: Encodable {
        let id: UUID
        let name: String
        let email: String
        let href: String
        var detail: String?

        init(_ user: User, detail: String? = nil) {
            id = user.id!
            name = user.name
            email = user.email
            href = "/people/\(user.id!.uuidString.lowercased())"
            self.detail = detail
        }
    }
}
