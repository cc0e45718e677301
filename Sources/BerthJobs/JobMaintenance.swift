import BerthMetadata

/// The queue's own housekeeping, run as a job like any other: deleting finished jobs (and so their
/// dedupe keys) once they are older than a retention period.
public enum JobMaintenance {
    /// The job type of the purge.
    public static let purgeType = "jobs.purge"
    /// The schedule id `schedulePurge` uses.
    public static let purgeScheduleID = "jobs.purge"

    /// Registers the purge handler on `runner`: each run deletes jobs that finished more than
    /// `retentionMillis` before it started.
    public static func registerPurge(on runner: JobRunner, store: any JobStore, retentionMillis: Int64,
                                     clock: JobClock = .system) {
        runner.register(purgeType) { _, context in
            let removed = try await store.purge(finishedBefore: clock.now() - max(0, retentionMillis))
            try await context.report(progress: 100, message: "removed \(removed) finished jobs")
        }
    }

    /// Saves the purge schedule (by default daily at 03:30 UTC).
    @discardableResult
    public static func schedulePurge(with scheduler: JobScheduler, cron: String = "0 30 3 * * *") async throws -> JobSchedule {
        try await scheduler.save(id: purgeScheduleID, cron: cron, jobType: purgeType, maxAttempts: 3, timeoutMillis: 600_000)
    }
}
