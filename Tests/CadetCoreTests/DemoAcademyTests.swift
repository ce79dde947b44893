import Testing
@testable import CadetCore

@Suite("The demo academy reproduces the published figures")
struct DemoAcademyTests {
    let academy = DemoAcademy.build()

    var gwangju: DemoAcademy.Programme { academy.programmes[0] }

    @Test("the same academy on every run")
    func deterministic() {
        let again = DemoAcademy.build()
        #expect(academy.programmes.flatMap { $0.cohorts.flatMap(\.trainees) } == again.programmes.flatMap { $0.cohorts.flatMap(\.trainees) })
    }

    @Test("Gwangju cohort 1: 180 admitted, 97 from Gwangju, majors 75/26/38/41, room for the completers' regions")
    func gwangjuCohort1() {
        let trainees = gwangju.cohorts[0].trainees
        #expect(trainees.count == 180)
        #expect(trainees.filter { $0.region == .gwangju }.count == 97)
        let majors = Dictionary(grouping: trainees, by: { $0.majorField! }).mapValues(\.count)
        #expect(majors == [.computing: 75, .ictElectronicsMath: 26, .otherScienceEngineering: 38, .humanitiesOther: 41])
        // Completers (155) included Seoul 30, Gyeonggi 22, Jeolla 15: the admitted must hold them.
        #expect(trainees.filter { $0.region == .seoul }.count >= 30)
        #expect(trainees.filter { $0.region == .gyeonggi }.count >= 22)
        #expect(trainees.filter { $0.region == .jeonbuk || $0.region == .jeonnam }.count >= 15)
        #expect(trainees.filter { $0.gender == .male }.count >= 110)
        #expect(trainees.filter { $0.gender == .female }.count >= 45)
    }

    @Test("Gwangju cohort 2: 180 admitted, 129 from Gwangju, six classes of one instructor and one TA")
    func gwangjuCohort2() {
        let cohort = gwangju.cohorts[1]
        #expect(cohort.trainees.count == 180)
        #expect(cohort.trainees.filter { $0.region == .gwangju }.count == 129)
        #expect(cohort.classes.count == 6)
        #expect(Set(cohort.classes.map(\.instructor.email)).count == 6)
        #expect(Set(cohort.classes.map(\.assistant.email)).count == 6)
        #expect(cohort.classes.allSatisfy { $0.trainees.count == 30 })
        #expect(cohort.phases.map(\.hours).reduce(0, +) == 1_120)
    }

    @Test("capacities and hours of every cohort")
    func capacitiesAndHours() {
        let drafts = academy.programmes.flatMap { $0.cohorts.map(\.draft) }
        #expect(drafts.map(\.capacity) == [180, 180, 330, 25])
        #expect(drafts.map(\.targetHours) == [960, 1_120, 1_300, 320])
        for cohort in academy.programmes.flatMap(\.cohorts) {
            #expect(cohort.phases.map(\.hours).reduce(0, +) == cohort.draft.targetHours)
            #expect(cohort.trainees.count == cohort.draft.capacity)
            #expect(cohort.draft.weekdayHoursAvailable >= cohort.draft.targetHours ?? 0, "\(cohort.draft.name)")
        }
    }

    @Test("every person has a distinct e-mail and a plausible Korean name")
    func people() {
        let everyone = academy.programmes.flatMap { $0.cohorts.flatMap { $0.trainees + $0.mentors + $0.classes.flatMap { [$0.instructor, $0.assistant] } } }
        #expect(Set(everyone.map(\.email)).count == everyone.count)
        #expect(everyone.allSatisfy { EmailAddress.isPlausible($0.email) })
        #expect(everyone.allSatisfy { $0.name.count == 3 && $0.name.unicodeScalars.allSatisfy { (0xAC00...0xD7A3).contains($0.value) } })
    }

    @Test("one login per role")
    func logins() {
        #expect(Set(academy.logins.map(\.role)) == Set(Role.allCases))
    }
}
