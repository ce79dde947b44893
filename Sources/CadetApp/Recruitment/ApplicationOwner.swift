import Fluent
import Foundation

/// Whose an application is: the account it is linked to; and, while it is linked to none
/// (imported, or entered by staff before the person had an account), whoever has proved they
/// read mail at its address. An unproved address claims nothing, so signing up with someone
/// else's e-mail opens none of their applications or tests.
struct ApplicationOwner: Sendable {
    let userID: UUID
    /// The person's e-mail once verified; nil until then.
    let verifiedEmail: String?

    init(userID: UUID, verifiedEmail: String?) {
        self.userID = userID
        self.verifiedEmail = verifiedEmail
    }

    init(_ user: User) throws {
        self.init(userID: try user.requireID(), verifiedEmail: user.emailVerifiedAt == nil ? nil : user.email)
    }

    func owns(linkedUser: UUID?, email: String) -> Bool {
        if let linkedUser { return linkedUser == userID }
        guard let verifiedEmail else { return false }
        return email.caseInsensitiveCompare(verifiedEmail) == .orderedSame
    }

    /// The same rule as a filter on a query of applications.
    func filter(_ query: QueryBuilder<Applicant>) -> QueryBuilder<Applicant> {
        guard let verifiedEmail else { return query.filter(\.$user.$id == userID) }
        return query.group(.or) {
            $0.filter(\.$user.$id == userID).group(.and) { $0.filter(\.$user.$id == nil).filter(\.$email == verifiedEmail) }
        }
    }
}
