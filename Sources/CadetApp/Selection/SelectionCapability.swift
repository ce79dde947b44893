import Fluent
import Vapor

/// The pipeline, reviews by the committee, ranking and decisions, and the round's dashboard.
struct SelectionCapability: Capability {
    var migrations: [any Migration] { [CreateReviewAssignment(), CreateReviewScore()] }

    func routes(_ routes: any RoutesBuilder) {
        PipelineController.register(routes)
        SelectionController.register(routes)
        DashboardController.register(routes)
        ReviewsController.register(routes)
    }

    func api(_ routes: any RoutesBuilder) {
        ApplicationsAPI.register(routes)
    }

    var navigation: [NavLink] {
        [NavLink("/reviews", label: "nav.reviews", order: 50) { $0?.policy.grants.contains { $0.role == .committeeMember || $0.role.isStaff } == true }]
    }
}
