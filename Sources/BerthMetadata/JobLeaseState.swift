/// What a heartbeat learned about the lease.
public enum JobLeaseState: Sendable, Equatable {
    /// The lease is still held; carry on.
    case held
    /// Someone asked to stop the job; the worker should cancel it and call `markStopped`.
    case stopRequested
    /// The lease is gone (it expired and the job was claimed again, or the job was finished); stop
    /// working on it and record nothing.
    case lost
}
