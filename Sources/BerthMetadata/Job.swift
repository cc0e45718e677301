/// A durable unit of background work. Times are milliseconds since the Unix epoch; durations are
/// milliseconds.
public struct Job: Sendable, Equatable, Identifiable {
    public var id: Int64
    /// The handler key, e.g. `"scan"` or `"gc"`.
    public var type: String
    /// Handler-defined JSON text.
    public var payload: String
    public var status: JobStatus
    /// Attempts started so far (the current one included while running). Also the lease's fencing token.
    public var attempts: Int
    public var maxAttempts: Int
    /// How long one attempt may run; the lease of a claim lasts this long.
    public var timeoutMillis: Int64
    /// The job is not claimed before this time (the retry backoff moves it forward).
    public var runAfter: Int64
    /// When the current attempt's lease ends; after that another worker may claim the job.
    public var leaseExpiresAt: Int64?
    /// The worker that claimed it last.
    public var worker: String?
    /// 0 to 100, as reported by the handler.
    public var progress: Int
    /// The handler's last progress message.
    public var message: String?
    /// The error of the last failed attempt.
    public var lastError: String?
    /// At most one job ever exists per key (until it is purged).
    public var dedupeKey: String?
    /// A stop was requested while it was running.
    public var stopRequested: Bool
    public var createdAt: Int64
    public var updatedAt: Int64
    public var startedAt: Int64?
    public var finishedAt: Int64?

    /// The lease the current (or last) attempt holds.
    public var lease: JobLease { JobLease(jobID: id, attempt: attempts) }
}
