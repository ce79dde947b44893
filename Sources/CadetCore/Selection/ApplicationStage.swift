/// Where an application stands, from draft to enrolment. Staff move applications along; some
/// moves belong to the applicant (submit, withdraw, accept, decline).
public enum ApplicationStage: String, CaseIterable, Codable, Sendable {
    case draft
    case submitted
    case documentsPassed = "documents_passed"
    case documentsFailed = "documents_failed"
    case tested
    case interviewed
    case committee
    case admitted
    case waitlisted
    case rejected
    case accepted
    case declined
    case enrolled
    case withdrawn

    /// Stages a funnel counts in order.
    public static let funnel: [ApplicationStage] = [
        .submitted, .documentsPassed, .tested, .interviewed, .committee, .admitted, .accepted, .enrolled,
    ]

    /// Where staff may move an application from here. Withdrawal, acceptance and refusal are the
    /// applicant's to make and are not in this list.
    public var staffMoves: Set<ApplicationStage> {
        switch self {
        case .draft, .withdrawn, .declined, .enrolled: []
        case .submitted: [.documentsPassed, .documentsFailed]
        case .documentsFailed: [.documentsPassed]
        case .documentsPassed: [.tested, .interviewed, .committee, .documentsFailed]
        case .tested: [.interviewed, .committee]
        case .interviewed: [.committee]
        case .committee: [.admitted, .waitlisted, .rejected]
        case .admitted: [.waitlisted, .rejected]
        case .waitlisted: [.admitted, .rejected]
        case .rejected: [.waitlisted, .admitted]
        case .accepted: [.enrolled]
        }
    }

    /// Still in the running: counted for ranking and may be decided on.
    public var isInSelection: Bool {
        [.documentsPassed, .tested, .interviewed, .committee, .admitted, .waitlisted, .rejected].contains(self)
    }

    public var applicantMayWithdraw: Bool {
        [.draft, .submitted, .documentsPassed, .tested, .interviewed, .committee, .admitted, .waitlisted].contains(self)
    }

    /// Has been submitted at some point (drafts and nothing else are not applicants yet).
    public var isApplicant: Bool { self != .draft }

    /// How far along the funnel this stage has come, for counting "reached stage X".
    public var funnelDepth: Int {
        switch self {
        case .draft: -1
        case .submitted, .documentsFailed, .withdrawn: 0
        case .documentsPassed: 1
        case .tested: 2
        case .interviewed: 3
        case .committee, .rejected, .waitlisted: 4
        case .admitted, .declined: 5
        case .accepted: 6
        case .enrolled: 7
        }
    }
}
