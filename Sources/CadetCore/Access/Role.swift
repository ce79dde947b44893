/// What a person does in an academy. A person can hold several roles, each granted for the whole
/// academy (operator), a programme, or one cohort.
public enum Role: String, CaseIterable, Codable, Sendable {
    case `operator`
    case programmeStaff = "programme_staff"
    case instructor
    case teachingAssistant = "teaching_assistant"
    case mentor
    case committeeMember = "committee_member"
    case companyContact = "company_contact"
    /// Applicants and trainees: the same person moves from one to the other on enrolment.
    case trainee

    /// Roles whose holders run a programme and see its people and records.
    public var isStaff: Bool {
        self == .operator || self == .programmeStaff
    }

    /// The narrowest scope the role makes sense at: operators run the academy, the rest act
    /// within a programme or a cohort.
    public var allowsGlobalScope: Bool { self == .operator }
}

/// Where a role applies.
public enum Scope: Hashable, Sendable {
    case academy
    case programme(ProgrammeID)
    case cohort(CohortID, in: ProgrammeID)

    public var programmeID: ProgrammeID? {
        switch self {
        case .academy: nil
        case .programme(let p): p
        case .cohort(_, let p): p
        }
    }

    public var cohortID: CohortID? {
        if case .cohort(let c, _) = self { c } else { nil }
    }

    /// True when a grant at `self` reaches `target`: academy reaches everything, a programme
    /// reaches itself and its cohorts, a cohort only itself.
    public func covers(_ target: Scope) -> Bool {
        switch (self, target) {
        case (.academy, _): true
        case (.programme(let p), .programme(let q)): p == q
        case (.programme(let p), .cohort(_, let q)): p == q
        case (.cohort(let c, _), .cohort(let d, _)): c == d
        default: false
        }
    }

    /// True when `self` lies inside `target` or reaches it: a cohort grant lets its holder see
    /// the programme the cohort belongs to, though not its other cohorts.
    public func touches(_ target: Scope) -> Bool {
        if covers(target) { return true }
        if case .cohort(_, let p) = self, case .programme(let q) = target { return p == q }
        return false
    }
}

public struct ProgrammeID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let uuid: UUID
    public init(_ uuid: UUID) { self.uuid = uuid }
    public var description: String { uuid.uuidString }
}

public struct CohortID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let uuid: UUID
    public init(_ uuid: UUID) { self.uuid = uuid }
    public var description: String { uuid.uuidString }
}

public struct Grant: Hashable, Sendable {
    public let role: Role
    public let scope: Scope

    public init(_ role: Role, _ scope: Scope) {
        self.role = role
        self.scope = scope
    }
}

import Foundation
