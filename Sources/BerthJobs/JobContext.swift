import BerthMetadata

/// What a job handler gets besides the job: progress reporting against the lease it runs under.
/// Cancellation (a stop request, the timeout, a forced shutdown) arrives as ordinary task cancellation.
public struct JobContext: Sendable {
    /// The job as claimed (its `attempts` is this attempt's number).
    public let job: Job
    /// The worker running it.
    public let worker: String
    let store: any JobStore

    /// Records progress (clamped to 0...100) and an optional message, visible in the status APIs.
    /// Returns false when the job should end now (a stop was requested or the lease was lost).
    @discardableResult
    public func report(progress: Int, message: String? = nil) async throws -> Bool {
        try await store.heartbeat(job.lease, progress: progress, message: message) == .held
    }
}

/// A job handler: runs one attempt; throwing fails the attempt (retried with backoff while attempts
/// remain). It must honour task cancellation.
public typealias JobHandler = @Sendable (Job, JobContext) async throws -> Void
