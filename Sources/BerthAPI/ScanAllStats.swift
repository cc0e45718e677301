/// Harbor's `Stats`: the progress of one scan all (`GET /scans/all/metrics`, `/scans/schedule/metrics`).
public struct ScanAllStats: Sendable, Equatable, Encodable {
    /// Scans the scan all queued so far.
    public var total: Int
    /// Those that finished (Success, Error or Stopped).
    public var completed: Int
    /// Scans per Harbor status: Success, Error, Running, Pending (and Stopped when any stopped).
    public var metrics: [String: Int]
    /// Who started it: the user of a manual run, `scheduler` for a scheduled one.
    public var requester: String?
    /// True while artifacts are still being queued or scans are pending or running.
    public var ongoing: Bool
    /// `Manual` or `Schedule`; absent when no scan all ever ran.
    public var trigger: String?

    public init(total: Int = 0, completed: Int = 0, metrics: [String: Int] = [:], requester: String? = nil,
                ongoing: Bool = false, trigger: String? = nil) {
        self.total = total
        self.completed = completed
        self.metrics = metrics
        self.requester = requester
        self.ongoing = ongoing
        self.trigger = trigger
    }
}
