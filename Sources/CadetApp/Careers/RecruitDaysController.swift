import CadetCore
import Fluent
import Vapor

/// Recruit days: staff plan the day and each company's interview slots; the programme's trainees
/// and graduates book a slot per company and may cancel it.
enum RecruitDaysController {
    static func register(_ routes: any RoutesBuilder) {
        let p = routes.grouped("programmes", ":programme", "recruit-days")
        p.get(use: list)
        p.post(use: create)
        p.get(":day", use: show)
        p.post(":day", "slots", use: addSlots)
        routes.get("recruit-days", ":day", use: booking)
        routes.post("recruit-days", ":day", "slots", ":slot", "book", use: book)
        routes.post("recruit-days", ":day", "slots", ":slot", "cancel", use: cancel)
    }

    static func service(_ req: Request) -> RecruitDayService { RecruitDayService(database: req.db, actor: req.actor) }

    struct DayRow: Encodable { let href: String; let title: String; let day: String; let place: String; let slots: Int; let booked: Int }

    struct ListPage: Encodable {
        let page: PageChrome
        let base: String
        let rows: [DayRow]?
        let form: FormState
    }

    static func renderList(_ req: Request, _ ref: DirectoryLookup.ProgrammeRef, form: FormState = .empty, status: HTTPResponseStatus = .ok) async throws -> Response {
        let base = "/programmes/\(ref.programme.slug)/recruit-days"
        let days = try await RecruitDay.query(on: req.db).filter(\.$programme.$id == ref.id).sort(\.$day, .descending).all()
        let slots = Dictionary(grouping: try await InterviewSlot.query(on: req.db).filter(\.$recruitDay.$id ~~ days.compactMap(\.id)).all(), by: \.$recruitDay.id)
        return try await req.render("careers/recruit_days", ListPage(
            page: PageChrome(req, title: req.localizer("recruit_days.title")), base: base,
            rows: days.map { d in
                let mine = slots[d.id!] ?? []
                return DayRow(href: "\(base)/\(d.id!.uuidString.lowercased())", title: d.title, day: d.day, place: d.place, slots: mine.count,
                              booked: mine.filter { $0.$trainee.id != nil }.count)
            }.nilIfEmpty, form: form), status: status)
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        try await renderList(req, try await HiringController.programme(req))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let ref = try await HiringController.programme(req)
        let values = try req.formValues()
        do {
            let day = try await service(req).create(try RecruitDayDraft.parse(values), in: ref)
            return req.redirect(to: "/programmes/\(ref.programme.slug)/recruit-days/\(day.id!.uuidString.lowercased())", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await renderList(req, ref, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    static func day(_ req: Request, programme: UUID? = nil) async throws -> RecruitDay {
        guard let id = req.parameters.get("day", as: UUID.self), let day = try await RecruitDay.find(id, on: req.db),
              programme == nil || day.$programme.id == programme else { throw CareersError.recruitDayNotFound }
        return day
    }

    struct SlotRow: Encodable { let id: String; let time: String; let company: String; let trainee: String?; let taken: Bool; let mine: Bool }
    struct CompanyChoice: Encodable { let value: String; let label: String }

    struct DayPage: Encodable {
        let page: PageChrome
        let base: String
        let day: String
        let place: String
        let slots: [SlotRow]?
        let companies: [CompanyChoice]
        let form: FormState
    }

    static func slotRows(_ day: RecruitDay, viewer: UUID?, showNames: Bool, _ req: Request) async throws -> [SlotRow] {
        let slots = try await InterviewSlot.query(on: req.db).filter(\.$recruitDay.$id == day.requireID()).with(\.$company).with(\.$trainee).all()
        return slots.sorted { ($0.company.name, $0.startsAt) < ($1.company.name, $1.startsAt) }.map { s in
            SlotRow(id: s.id!.uuidString.lowercased(), time: req.localizer.time(s.startsAt) + "–" + req.localizer.time(s.startsAt.addingTimeInterval(Double(s.minutes) * 60)),
                    company: s.company.name, trainee: showNames ? s.trainee?.name : nil, taken: s.$trainee.id != nil, mine: viewer != nil && s.$trainee.id == viewer)
        }
    }

    static func renderDay(_ req: Request, _ ref: DirectoryLookup.ProgrammeRef, _ day: RecruitDay, form: FormState = .empty, status: HTTPResponseStatus = .ok) async throws -> Response {
        let companies = try await Company.query(on: req.db).filter(\.$programme.$id == ref.id).sort(\.$name).all()
        return try await req.render("careers/recruit_day", DayPage(
            page: PageChrome(req, title: day.title), base: "/programmes/\(ref.programme.slug)/recruit-days/\(day.id!.uuidString.lowercased())",
            day: day.day, place: day.place, slots: try await slotRows(day, viewer: nil, showNames: true, req).nilIfEmpty,
            companies: companies.map { CompanyChoice(value: $0.id!.uuidString.lowercased(), label: $0.name) }, form: form), status: status)
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let ref = try await HiringController.programme(req)
        return try await renderDay(req, ref, try await day(req, programme: ref.id))
    }

    @Sendable static func addSlots(_ req: Request) async throws -> Response {
        let ref = try await HiringController.programme(req)
        let day = try await day(req, programme: ref.id)
        let values = try req.formValues()
        guard let companyID = values["company"].flatMap(UUID.init(uuidString:)),
              let company = try await Company.query(on: req.db).filter(\.$id == companyID).filter(\.$programme.$id == ref.id).first() else {
            throw CareersError.companyNotFound
        }
        do {
            _ = try await service(req).addSlots(try SlotsDraft.parse(values), company: company, to: day, zone: req.localizer.timeZone)
        } catch let failure as ValidationFailure {
            return try await renderDay(req, ref, day, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
        return req.redirect(to: "/programmes/\(ref.programme.slug)/recruit-days/\(day.id!.uuidString.lowercased())", notice: "notice.saved")
    }

    // MARK: Trainees

    struct BookingPage: Encodable {
        let page: PageChrome
        let base: String
        let day: String
        let place: String
        let slots: [SlotRow]?
    }

    /// The day, if the signed-in person is a trainee or graduate of its programme.
    static func traineeDay(_ req: Request) async throws -> (RecruitDay, UUID) {
        let user = try req.requireUser()
        let day = try await day(req)
        guard try await JobsController.programmes(of: user.id, on: req.db).contains(day.$programme.id) else { throw CareersError.recruitDayNotFound }
        return (day, user.id)
    }

    @Sendable static func booking(_ req: Request) async throws -> Response {
        let (day, userID) = try await traineeDay(req)
        return try await req.render("careers/booking", BookingPage(
            page: PageChrome(req, title: day.title), base: "/recruit-days/\(day.id!.uuidString.lowercased())", day: day.day, place: day.place,
            slots: try await slotRows(day, viewer: userID, showNames: false, req).nilIfEmpty))
    }

    static func slot(_ req: Request, in day: RecruitDay) async throws -> InterviewSlot {
        guard let id = req.parameters.get("slot", as: UUID.self),
              let slot = try await InterviewSlot.query(on: req.db).filter(\.$id == id).filter(\.$recruitDay.$id == day.requireID()).first() else {
            throw CareersError.recruitDayNotFound
        }
        return slot
    }

    @Sendable static func book(_ req: Request) async throws -> Response {
        let (day, userID) = try await traineeDay(req)
        try await service(req).book(try await slot(req, in: day), for: userID)
        return req.redirect(to: "/recruit-days/\(day.id!.uuidString.lowercased())", notice: "notice.slot_booked")
    }

    @Sendable static func cancel(_ req: Request) async throws -> Response {
        let (day, userID) = try await traineeDay(req)
        try await service(req).cancel(try await slot(req, in: day), for: userID)
        return req.redirect(to: "/recruit-days/\(day.id!.uuidString.lowercased())", notice: "notice.slot_cancelled")
    }
}
