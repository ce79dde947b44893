import Vapor

public enum ExamError: AppError, Equatable {
    case noExam
    case notPrepared
    case notYet(String)
    case tooLate(String)
    case closed
    case replacedElsewhere
    case definitionUnreadable(String)
    case definitionInvalid([String])
    case tooManyRuns(Int)
    case alreadySubmitted
    case noQuestion
    case answerRefused(String)
    case runRefused
    case runPending

    public var code: String {
        switch self {
        case .noExam: "exam.none"
        case .notPrepared: "exam.not_prepared"
        case .notYet: "exam.not_yet"
        case .tooLate: "exam.too_late"
        case .closed: "exam.closed"
        case .replacedElsewhere: "exam.replaced_elsewhere"
        case .definitionUnreadable: "exam.definition_unreadable"
        case .definitionInvalid: "exam.definition_invalid"
        case .tooManyRuns: "exam.too_many_runs"
        case .alreadySubmitted: "exam.already_submitted"
        case .noQuestion: "exam.no_question"
        case .answerRefused: "exam.answer_refused"
        case .runRefused: "exam.run_refused"
        case .runPending: "exam.run_pending"
        }
    }

    public var status: HTTPResponseStatus {
        switch self {
        case .noExam, .notPrepared, .noQuestion: .notFound
        case .definitionUnreadable, .definitionInvalid, .answerRefused, .runRefused: .unprocessableEntity
        case .tooManyRuns, .runPending: .tooManyRequests
        default: .conflict
        }
    }

    public var messageKey: String { "exam.error.\(code.dropFirst("exam.".count))" }

    public var messageArguments: [String: String] {
        switch self {
        case .notYet(let at), .tooLate(let at): ["at": at]
        case .definitionUnreadable(let detail), .answerRefused(let detail): ["detail": detail]
        case .definitionInvalid(let problems): ["detail": problems.prefix(20).joined(separator: "; ")]
        case .tooManyRuns(let seconds): ["seconds": String(seconds)]
        default: [:]
        }
    }
}
