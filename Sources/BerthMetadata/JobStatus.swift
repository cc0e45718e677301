/// The life-cycle states of a job, named as Harbor's job service names them (the raw values are stored).
public enum JobStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting to be claimed (for the first time, or again after a failed attempt).
    case pending = "Pending"
    /// Claimed by a worker whose lease has not yet expired.
    case running = "Running"
    /// Finished successfully.
    case success = "Success"
    /// Failed on its last attempt (or its lease expired after it).
    case error = "Error"
    /// Stopped on request before it finished.
    case stopped = "Stopped"

    /// Whether the job will never run again.
    public var isFinal: Bool { self == .success || self == .error || self == .stopped }
}
