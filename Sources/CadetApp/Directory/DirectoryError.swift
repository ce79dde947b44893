import Vapor

public enum DirectoryError: AppError, Equatable {
    case programmeNotFound
    case cohortNotFound
    case classNotFound
    case personNotFound
    case unknownPerson(field: String)

    public var code: String {
        switch self {
        case .programmeNotFound: "directory.programme_not_found"
        case .cohortNotFound: "directory.cohort_not_found"
        case .classNotFound: "directory.class_not_found"
        case .personNotFound: "directory.person_not_found"
        case .unknownPerson: "directory.unknown_person"
        }
    }

    public var status: HTTPResponseStatus {
        if case .unknownPerson = self { return .unprocessableEntity }
        return .notFound
    }

    public var messageKey: String {
        switch self {
        case .programmeNotFound: "directory.error.programme_not_found"
        case .cohortNotFound: "directory.error.cohort_not_found"
        case .classNotFound: "directory.error.class_not_found"
        case .personNotFound: "directory.error.person_not_found"
        case .unknownPerson: "directory.error.unknown_person"
        }
    }
}
