/// A recurring job: a cron expression (kept as text; `BerthJobs` parses it) and the job to enqueue at
/// each firing. Times are milliseconds since the Unix epoch.
public struct JobSchedule: Sendable, Equatable, Identifiable {
    public var id: String
    /// Five fields (minute hour day month weekday) or six (seconds first), evaluated in UTC.
    public var cron: String
    public var jobType: String
    public var payload: String
    public var maxAttempts: Int
    public var timeoutMillis: Int64
    public var enabled: Bool
    /// The latest firing already enqueued; firings at or before it are never enqueued again.
    public var lastFiredAt: Int64
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(id: String, cron: String, jobType: String, payload: String = "{}", maxAttempts: Int = 3,
                timeoutMillis: Int64 = 600_000, enabled: Bool = true, lastFiredAt: Int64, createdAt: Int64,
                updatedAt: Int64) {
        self.id = id
        self.cron = cron
        self.jobType = jobType
        self.payload = payload
        self.maxAttempts = max(1, maxAttempts)
        self.timeoutMillis = max(1, timeoutMillis)
        self.enabled = enabled
        self.lastFiredAt = lastFiredAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The request this schedule enqueues for the firing at `fireTime`, with the dedupe key that makes
    /// the firing produce one job however many nodes race to enqueue it.
    public func request(firingAt fireTime: Int64) -> JobRequest {
        JobRequest(type: jobType, payload: payload, runAfter: fireTime, maxAttempts: maxAttempts,
                   timeoutMillis: timeoutMillis, dedupeKey: "schedule:\(id)@\(fireTime)")
    }
}
