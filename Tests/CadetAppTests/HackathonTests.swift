import CadetCore
import CadetSandbox
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("Hackathons: hidden keys, teams, predictions scored off the request, both boards")
struct HackathonTests {
    static let base = "/programmes/alpha/cohorts/a1/hackathons"
    /// Twenty rows, half of each class, so any split has both classes on both boards.
    static let key = "id,sick\n" + (1...20).map { "\($0),\($0 % 2)" }.joined(separator: "\n") + "\n"

    static func predictions(_ value: (Int) -> String) -> Data {
        Data(("id,sick\n" + (1...20).map { "\($0),\(value($0))" }.joined(separator: "\n") + "\n").utf8)
    }

    static let form = ["title": "Diagnosis sprint", "brief": "Predict the label.", "metric": "roc_auc", "public_percent": "40", "daily_cap": "2", "finals": "1"]

    /// Staff create an ROC AUC hackathon closing tomorrow, and put the trainee on a team.
    static func open(_ app: Application, _ seed: Seed) async throws -> (Browser, Hackathon) {
        let staff = try await seed.browser(.staff, app: app)
        staff.acceptLanguage = "en"
        var fields = form
        let format = DateFormatter()
        format.dateFormat = "yyyy-MM-dd'T'HH:mm"
        format.timeZone = app.config.timeZone
        fields["deadline"] = format.string(from: Date().addingTimeInterval(86_400))
        let created = try await Multipart.upload(staff, base, filename: "key.csv", data: Data(key.utf8), field: "answer_key", fields: fields)
        #expect(created.status == .seeOther, "\(created.body.string.prefix(400))")
        let hackathon = try #require(try await Hackathon.query(on: app.db).first())
        let page = "\(base)/\(hackathon.id!.uuidString.lowercased())"
        let refused = try await staff.post(page + "/teams", ["name": "Team Kimchi", "members": "\(Seed.Who.trainee.email)\nstranger@nowhere.example"])
        #expect(refused.status == .unprocessableEntity && refused.text.contains("stranger@nowhere.example"))
        #expect(try await HackathonTeam.query(on: app.db).count() == 0)
        #expect(try await staff.post(page + "/teams", ["name": "Team Kimchi", "members": Seed.Who.trainee.email]).status == .seeOther)
        return (staff, hackathon)
    }

    @Test("a broken answer key is refused line by line and nothing is created; a good one fixes the split")
    func creating() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            var fields = Self.form
            fields["deadline"] = "2030-01-01T18:00"
            let bad = try await Multipart.upload(staff, Self.base, filename: "key.csv", data: Data("id,sick\n1,0\n1,1\n2,0.5\n".utf8), field: "answer_key", fields: fields)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("line 3: id 1 appears twice") && bad.text.contains("line 4: 0.5 is not 0 or 1"))
            #expect(try await Hackathon.query(on: app.db).count() == 0)
            let (_, hackathon) = try await Self.open(app, seed)
            let publicCount = try hackathon.publicIDs.count
            #expect(hackathon.rows == 20 && publicCount == 8)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["hackathon.created", "hackathon.team_added"]).count() == 2)
        }
    }

    @Test("a team's upload is checked line by line, scored off the request on the public rows only, capped per day; strangers find nothing")
    func submitting() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let (_, hackathon) = try await Self.open(app, seed)
            let trainee = try await seed.browser(.trainee, app: app)
            trainee.acceptLanguage = "en"
            let page = "/hackathons/\(hackathon.id!.uuidString.lowercased())"
            #expect(try await trainee.get("/hackathons").text.contains("Diagnosis sprint"))
            let broken = try await Multipart.upload(trainee, page + "/submissions", filename: "p.csv",
                                                    data: Data("id,sick\n1,0.9\n99,0.1\n2,NaN\n".utf8), field: "predictions")
            #expect(broken.status == .unprocessableEntity)
            #expect(broken.text.contains("line 3: id 99 is not a test row") && broken.text.contains("line 4: &quot;NaN&quot; is not a finite number"))
            #expect(try await HackathonSubmission.query(on: app.db).count() == 0)

            // Right on the odd rows, confidently wrong on rows 2 and 4.
            let guess = Self.predictions { $0 % 2 == 1 ? "0.8" : ($0 <= 4 ? "0.9" : "0.2") }
            #expect(try await Multipart.upload(trainee, page + "/submissions", filename: "guess.csv", data: guess, field: "predictions").status == .seeOther)
            #expect(try await trainee.get(page).text.contains("scoring…"))
            #expect(try await LeaderboardScorer(database: app.db).step() == 1)
            let key = try hackathon.key, publicIDs = try hackathon.publicIDs
            let values = try PredictionFile.parse(Array(guess), key: key, metric: .rocAUC)
            let publicRows = key.ids.indices.filter { publicIDs.contains(key.ids[$0]) }
            let expected = LeaderboardMetric.rocAUC.score(truth: publicRows.map { key.labels[$0] }, predicted: publicRows.map { values[$0] })
            let board = try await trainee.get(page + "/board")
            #expect(board.text.contains(#""score":"\#(String(format: "%.5f", expected))""#) && board.text.contains(#""team":"Team Kimchi""#))
            // The private score stays hidden from the team until the reveal.
            #expect(!(try await trainee.get(page).text.contains("Private score")))

            #expect(try await Multipart.upload(trainee, page + "/submissions", filename: "again.csv", data: guess, field: "predictions").status == .seeOther)
            let capped = try await Multipart.upload(trainee, page + "/submissions", filename: "third.csv", data: guess, field: "predictions")
            #expect(capped.status == .tooManyRequests && capped.text.contains("2 submissions for today"))
            let ids = try await HackathonSubmission.query(on: app.db).all().map { $0.id!.uuidString }
            #expect(try await trainee.send(.POST, page + "/finals", body: "_csrf=\(try await trainee.csrfToken())&final=\(ids[0])&final=\(ids[1])").status == .unprocessableEntity)
            #expect(try await trainee.send(.POST, page + "/finals", body: "_csrf=\(try await trainee.csrfToken())&final=\(ids[1])").status == .seeOther)
            #expect(try await HackathonSubmission.query(on: app.db).filter(\.$chosen == true).count() == 1)

            let outsider = try await seed.browser(.outsider, app: app)
            #expect(try await outsider.get(page).status == .notFound)
            #expect(try await Multipart.upload(outsider, page + "/submissions", filename: "x.csv", data: guess, field: "predictions").status == .notFound)
        }
    }

    @Test("the organiser closes the hackathon; uploads stop; the reveal shows the private board to the team, once")
    func revealing() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let (staff, hackathon) = try await Self.open(app, seed)
            let trainee = try await seed.browser(.trainee, app: app)
            trainee.acceptLanguage = "en"
            let page = "/hackathons/\(hackathon.id!.uuidString.lowercased())"
            let admin = "\(Self.base)/\(hackathon.id!.uuidString.lowercased())"
            _ = try await Multipart.upload(trainee, page + "/submissions", filename: "p.csv", data: Self.predictions { $0 % 2 == 1 ? "0.7" : "0.3" }, field: "predictions")
            try await LeaderboardScorer(database: app.db).step()
            #expect(try await staff.post(admin + "/reveal").status == .conflict)
            #expect(try await staff.post(admin + "/close").status == .seeOther)
            let late = try await Multipart.upload(trainee, page + "/submissions", filename: "late.csv", data: Self.predictions { _ in "0.5" }, field: "predictions")
            #expect(late.status == .conflict && late.text.contains("deadline has passed"))
            #expect(!(try await trainee.get(page).text.contains("id=\"private-board\"")))
            #expect(try await staff.post(admin + "/reveal").status == .seeOther)
            #expect(try await staff.post(admin + "/reveal").status == .conflict)
            let revealed = try await trainee.get(page).text
            #expect(revealed.contains("id=\"private-board\"") && revealed.contains("1.00000"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["hackathon.closed", "hackathon.revealed"]).count() == 2)
        }
    }

    @Test("a hackathon that wants code: an upload without its program is refused; the real sandbox checks that each program prints the file uploaded with it")
    func codeChecks() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let ref = DirectoryLookup.CohortRef(programme: seed.alpha, cohort: seed.alphaCohort, id: seed.alphaCohort.id!)
            let service = HackathonService(database: app.db, actor: Actor(userID: nil, label: "test"), now: Date())
            let hackathon = try await service.create(HackathonDraft(title: "Code sprint", brief: "", metric: .rocAUC, publicPercent: 40, dailyCap: 5, finals: 1,
                                                                    deadline: Date().addingTimeInterval(86_400)),
                                                     key: Array(Self.key.utf8), programInput: Array("rows 1-20\n".utf8), in: ref)
            _ = try await service.addTeam(TeamDraft(name: "Coders", emails: [Seed.Who.trainee.email]), to: hackathon, in: ref)
            let trainee = try await seed.browser(.trainee, app: app)
            trainee.acceptLanguage = "en"
            let page = "/hackathons/\(hackathon.id!.uuidString.lowercased())"
            #expect(try await trainee.get(page + "/program-input").body.string == "rows 1-20\n")
            let predictions = Self.predictions { $0 % 2 == 1 ? "0.8" : "0.2" }
            let bare = try await Multipart.upload(trainee, page + "/submissions", filename: "p.csv", data: predictions, field: "predictions")
            #expect(bare.status == .unprocessableEntity && bare.text.contains("wants the program that made the predictions"))
            #expect(try await HackathonSubmission.query(on: app.db).count() == 0)

            // One program prints the uploaded file; the other differs on row 2.
            func program(_ second: String) -> Data {
                Data("import sys\nassert sys.stdin.read() == 'rows 1-20\\n'\nprint('id,sick')\nfor i in range(1, 21):\n    print(f'{i},{0.8 if i % 2 else (\(second) if i == 2 else 0.2)}')\n".utf8)
            }
            for (name, second) in [("same.py", "0.2"), ("other.py", "0.3")] {
                let sent = try await Multipart.upload(trainee, page + "/submissions", files: [("predictions", "p.csv", predictions), ("code", name, program(second))])
                #expect(sent.status == .seeOther, "\(sent.text.prefix(300))")
            }
            #expect(try await trainee.get(page).text.contains("checking…"))
            let worker = GradingWorker(queue: GradingQueue(database: app.db), sandbox: try Sandbox(configuration: SandboxConfiguration(concurrency: 1)),
                                       owner: "test", concurrency: 1, logger: app.logger)
            // The seed's exam jobs are in the queue too: grade until it is empty.
            while try await worker.gradeNext() {}
            let shown = try await trainee.get(page).text
            #expect(shown.contains(">reproduced<") && shown.contains(">prints a different file<"))
            let staff = try await seed.browser(.staff, app: app)
            let admin = try await staff.get("\(HackathonTests.base)/\(hackathon.id!.uuidString.lowercased())").text
            #expect(admin.contains("<td>Coders</td>") && admin.contains("<td>2</td><td>1</td>"))
        }
    }
}
