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

/// Proof of one claim: the job and the attempt number. Every update a worker makes carries it, so a
/// worker whose lease expired (and whose job was claimed again) can no longer change the job.
public struct JobLease: Sendable, Hashable {
    public let jobID: Int64
    public let attempt: Int

    public init(jobID: Int64, attempt: Int) {
        self.jobID = jobID
        self.attempt = attempt
    }
}

/// What to enqueue.
public struct JobRequest: Sendable, Equatable {
    public var type: String
    public var payload: String
    /// Not before this time; nil means now.
    public var runAfter: Int64?
    public var maxAttempts: Int
    public var timeoutMillis: Int64
    /// When set, enqueueing a second job with the same key returns the first one instead.
    public var dedupeKey: String?

    public init(type: String, payload: String = "{}", runAfter: Int64? = nil, maxAttempts: Int = 3,
                timeoutMillis: Int64 = 600_000, dedupeKey: String? = nil) {
        self.type = type
        self.payload = payload
        self.runAfter = runAfter
        self.maxAttempts = max(1, maxAttempts)
        self.timeoutMillis = max(1, timeoutMillis)
        self.dedupeKey = dedupeKey
    }
}

/// The result of `JobStore.enqueue`.
public struct JobEnqueueResult: Sendable, Equatable {
    public let job: Job
    /// False when a job with the same dedupe key already existed (and `job` is that one).
    public let created: Bool
}

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

/// A filter for listing jobs, newest first, paged by id.
public struct JobQuery: Sendable, Equatable {
    public var status: JobStatus?
    public var type: String?
    /// Only jobs with a smaller id (the last id of the previous page).
    public var beforeID: Int64?
    public var limit: Int

    public init(status: JobStatus? = nil, type: String? = nil, beforeID: Int64? = nil, limit: Int = 100) {
        self.status = status
        self.type = type
        self.beforeID = beforeID
        self.limit = max(0, limit)
    }
}
