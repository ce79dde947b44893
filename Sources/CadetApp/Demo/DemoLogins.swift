import CadetCore
import Foundation

enum DemoLogins {
    static func text(publicURL: URL) -> String {
        var lines = ["", "Cadet demo academy: \(publicURL.absoluteString)", "Sign in with any of these (password: \(DemoAcademy.password)):"]
        for login in DemoAcademy.build().logins {
            let scope = [login.programmeSlug, login.cohortSlug].compactMap { $0 }.joined(separator: "/")
            lines.append("  \(login.person.email.padding(toLength: 36, withPad: " ", startingAt: 0)) \(login.role.rawValue)\(scope.isEmpty ? "" : " @ \(scope)")")
        }
        return lines.joined(separator: "\n")
    }
}
