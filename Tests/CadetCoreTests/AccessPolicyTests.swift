import Foundation
import Testing
@testable import CadetCore

@Suite("Access policy")
struct AccessPolicyTests {
    let p1 = ProgrammeID(UUID()), p2 = ProgrammeID(UUID())
    let c1 = CohortID(UUID()), c2 = CohortID(UUID()), c3 = CohortID(UUID())

    var c1Scope: Scope { .cohort(c1, in: p1) }
    var c2Scope: Scope { .cohort(c2, in: p1) }
    var c3Scope: Scope { .cohort(c3, in: p2) }

    @Test("an operator may do everything everywhere")
    func operatorEverything() {
        let policy = AccessPolicy(grants: [Grant(.operator, .academy)])
        for permission in Permission.directory {
            #expect(policy.allows(permission, in: c3Scope))
        }
        #expect(policy.mayGrant(.operator, at: .academy))
        #expect(policy.visibleProgrammes == nil)
    }

    @Test("programme staff manage their programme and its cohorts, nothing else")
    func programmeStaff() {
        let policy = AccessPolicy(grants: [Grant(.programmeStaff, .programme(p1))])
        #expect(policy.allows(.manageProgramme, in: .programme(p1)))
        #expect(policy.allows(.manageCohort, in: c2Scope))
        #expect(!policy.allows(.viewCohort, in: c3Scope))
        #expect(!policy.allows(.createProgramme, in: .academy))
        #expect(!policy.allows(.viewOutbox, in: .academy))
        #expect(policy.mayGrant(.instructor, at: c1Scope))
        #expect(!policy.mayGrant(.instructor, at: c3Scope))
        #expect(!policy.mayGrant(.operator, at: .academy))
        #expect(policy.visibleProgrammes == [p1])
    }

    @Test("cohort roles see their own cohort and its programme's page, but not sister cohorts")
    func cohortRoles() {
        for role in [Role.instructor, .teachingAssistant, .mentor, .committeeMember, .companyContact, .trainee] {
            let policy = AccessPolicy(grants: [Grant(role, c1Scope)])
            #expect(policy.allows(.viewCohort, in: c1Scope))
            #expect(policy.allows(.viewProgramme, in: .programme(p1)))
            #expect(!policy.allows(.viewCohort, in: c2Scope), "\(role)")
            #expect(!policy.allows(.viewProgramme, in: .programme(p2)))
            #expect(!policy.allows(.manageCohort, in: c1Scope))
            #expect(policy.visibleCohorts(in: p1) == [c1])
            #expect(!policy.mayGrant(.trainee, at: c1Scope))
        }
    }

    @Test("only instructors and TAs among cohort roles see the roster")
    func roster() {
        #expect(AccessPolicy(grants: [Grant(.instructor, c1Scope)]).allows(.viewRoster, in: c1Scope))
        #expect(AccessPolicy(grants: [Grant(.teachingAssistant, c1Scope)]).allows(.viewRoster, in: c1Scope))
        #expect(!AccessPolicy(grants: [Grant(.mentor, c1Scope)]).allows(.viewRoster, in: c1Scope))
        #expect(!AccessPolicy(grants: [Grant(.trainee, c1Scope)]).allows(.viewRoster, in: c1Scope))
    }

    @Test("a role granted for a programme reaches all of its cohorts")
    func programmeWideRole() {
        let policy = AccessPolicy(grants: [Grant(.instructor, .programme(p1))])
        #expect(policy.allows(.viewRoster, in: c2Scope))
        #expect(!policy.allows(.viewRoster, in: c3Scope))
    }

    @Test("nobody may grant the operator role below the academy, or other roles at the academy")
    func scopesFitRoles() {
        let op = AccessPolicy(grants: [Grant(.operator, .academy)])
        #expect(!op.mayGrant(.operator, at: .programme(p1)))
        #expect(!op.mayGrant(.mentor, at: .academy))
    }

    @Test("no grants, no access")
    func nobody() {
        let policy = AccessPolicy(grants: [])
        #expect(Permission.directory.allSatisfy { !policy.allows($0, in: c1Scope) })
        #expect(policy.visibleProgrammes == [])
    }
}

@Suite("Policies narrowed to a token's scope")
struct RestrictedPolicyTests {
    let p1 = ProgrammeID(UUID()), p2 = ProgrammeID(UUID())
    let c1 = CohortID(UUID()), c2 = CohortID(UUID())

    @Test("a programme grant narrowed to one cohort reaches that cohort only")
    func narrowsToCohort() {
        let policy = AccessPolicy(grants: [Grant(.programmeStaff, .programme(p1))]).restricted(to: .cohort(c1, in: p1))
        #expect(policy.allows(.manageCohort, in: .cohort(c1, in: p1)))
        #expect(!policy.allows(.manageCohort, in: .cohort(c2, in: p1)))
        #expect(!policy.allows(.manageProgramme, in: .programme(p1)))
        #expect(policy.allows(.viewProgramme, in: .programme(p1)))
    }

    @Test("grants outside the scope are dropped, even an operator's")
    func dropsOutside() {
        let policy = AccessPolicy(grants: [Grant(.operator, .academy), Grant(.instructor, .cohort(c2, in: p2))]).restricted(to: .programme(p1))
        #expect(!policy.isOperator)
        #expect(policy.allows(.manageProgramme, in: .programme(p1)))
        #expect(policy.staffedProgrammes == [p1])
        #expect(!policy.allows(.viewRoster, in: .cohort(c2, in: p2)))
        #expect(!policy.allows(.viewProgramme, in: .programme(p2)))
    }

    @Test("a token cannot exceed its holder: a narrower grant inside the scope stays narrow")
    func neverWider() {
        let policy = AccessPolicy(grants: [Grant(.instructor, .cohort(c1, in: p1))]).restricted(to: .programme(p1))
        #expect(policy.allows(.viewRoster, in: .cohort(c1, in: p1)))
        #expect(!policy.allows(.viewRoster, in: .cohort(c2, in: p1)))
        #expect(!policy.allows(.manageCohort, in: .cohort(c1, in: p1)))
    }
}
