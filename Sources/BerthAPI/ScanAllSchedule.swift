/// The stored scan-all schedule, as the routes render it in Harbor's `Schedule` shape.
public struct ScanAllSchedule: Sendable, Equatable {
    /// Harbor's schedule type: Hourly, Daily, Weekly or Custom.
    public var type: String
    /// The cron expression (Harbor's six fields, seconds first).
    public var cron: String
    /// Unix seconds.
    public var createdAt: Int64
    /// Unix seconds.
    public var updatedAt: Int64
    /// The next firing in Unix seconds, nil when it never fires again.
    public var nextFireAt: Int64?

    public init(type: String, cron: String, createdAt: Int64, updatedAt: Int64, nextFireAt: Int64?) {
        self.type = type
        self.cron = cron
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.nextFireAt = nextFireAt
    }
}
