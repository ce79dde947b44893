import Vapor

enum CareersError: AppError, Equatable {
    /// Outcomes are kept for those who completed the cohort, and this trainee did not (or no
    /// completion has been run).
    case notAGraduate
    case snapshotTaken(point: String)
    /// The follow-up link is forged, for another graduate, or past its date.
    case linkInvalid

    var code: String {
        switch self {
        case .notAGraduate: "careers.not_a_graduate"
        case .snapshotTaken: "careers.snapshot_taken"
        case .linkInvalid: "careers.link_invalid"
        }
    }

    var status: HTTPResponseStatus {
        switch self {
        case .notAGraduate, .linkInvalid: .notFound
        case .snapshotTaken: .conflict
        }
    }

    var messageKey: String { "careers.error." + code.dropFirst("careers.".count) }

    var messageArguments: [String: String] {
        switch self {
        case .snapshotTaken(let point): ["point": point]
        default: [:]
        }
    }
}
