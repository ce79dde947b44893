import Foundation

/// How often a taker may run the sample tests. One run at a time each, and a handful a minute,
/// so that on the day no taker's clicking delays anyone else's run or the grading.
public struct SampleRunPolicy: Sendable, Equatable {
    public var perWindow: Int
    public var window: TimeInterval

    public init(perWindow: Int = 6, window: TimeInterval = 60) {
        self.perWindow = perWindow
        self.window = window
    }

    public enum Refusal: Equatable, Sendable {
        /// A run is still waiting or running.
        case busy
        /// Too many runs lately: try again after this many seconds.
        case wait(seconds: Int)
    }

    /// `recent` are the times of this taker's runs, any order; `pending` says whether one is unfinished.
    public func refusal(recent: [Date], pending: Bool, now: Date) -> Refusal? {
        if pending { return .busy }
        let inWindow = recent.filter { now.timeIntervalSince($0) < window }.sorted()
        guard inWindow.count >= perWindow else { return nil }
        // The oldest run in the window leaves it first.
        let freeAt = inWindow[inWindow.count - perWindow].addingTimeInterval(window)
        return .wait(seconds: max(1, Int(freeAt.timeIntervalSince(now).rounded(.up))))
    }
}
