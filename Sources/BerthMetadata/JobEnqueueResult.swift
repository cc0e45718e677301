/// The result of `JobStore.enqueue`.
public struct JobEnqueueResult: Sendable, Equatable {
    public let job: Job
    /// False when a job with the same dedupe key already existed (and `job` is that one).
    public let created: Bool
}
