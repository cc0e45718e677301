import BerthCore
import BerthJobs
import BerthMetadata
import BerthRegistry
import Glibc

/// The durable job queue of `berth serve`: one runner and one scheduler per node over the metadata
/// database. Cluster-wide housekeeping (the finished-job purge, the stale-upload purge) runs as
/// scheduled jobs, so each firing runs on one node only.
final class JobsWiring: Sendable {
    /// The job type that removes upload sessions older than the configured age.
    static let uploadPurgeType = "registry.purge-uploads"

    let store: any JobStore
    let runner: JobRunner
    let scheduler: JobScheduler

    private init(store: any JobStore, runner: JobRunner, scheduler: JobScheduler) {
        self.store = store
        self.runner = runner
        self.scheduler = scheduler
    }

    /// The queue on `metadata`'s database with the maintenance handlers registered; nil when that store
    /// has no SQL database behind it.
    static func build(metadata: any MetadataStore, registry: Registry) -> JobsWiring? {
        guard let store = JobStoreFactory.store(on: metadata) else { return nil }
        let concurrency = Int(BerthConfiguration.environment("BERTH_JOBS_CONCURRENCY") ?? "") ?? 2
        let runner = JobRunner(store: store, configuration: JobRunnerConfiguration(nodeID: nodeID(), concurrency: concurrency))
        let scheduler = JobScheduler(store: store, onEnqueue: { runner.wake() })
        let days = Int64(BerthConfiguration.environment("BERTH_JOBS_RETENTION_DAYS") ?? "") ?? 14
        JobMaintenance.registerPurge(on: runner, store: store, retentionMillis: days * 86_400_000)
        runner.register(uploadPurgeType) { _, context in
            let purged = try await registry.purgeStaleUploads()
            try await context.report(progress: 100, message: "purged \(purged) stale upload sessions")
            if purged > 0 { Log.info("purged \(purged) stale upload sessions") }
        }
        return JobsWiring(store: store, runner: runner, scheduler: scheduler)
    }

    /// Saves the maintenance schedules (idempotent: every node saves the same ones) and starts both loops.
    func start(uploadPurgeIntervalSeconds: Int64) async {
        do {
            try await JobMaintenance.schedulePurge(with: scheduler)
            try await scheduler.save(id: Self.uploadPurgeType, cron: Self.cron(everySeconds: uploadPurgeIntervalSeconds),
                                     jobType: Self.uploadPurgeType, maxAttempts: 1, timeoutMillis: 600_000)
        } catch {
            Log.warning("jobs: could not save the maintenance schedules: \(error)")
        }
        runner.start()
        scheduler.start()
    }

    /// Stops the scheduler, then lets running jobs finish for up to `graceSeconds`.
    func shutdown(graceSeconds: Double) async {
        await scheduler.shutdown()
        await runner.shutdown(gracePeriod: .milliseconds(Int64(max(1, graceSeconds) * 1_000)))
    }

    /// A six-field (seconds first) cron expression firing about every `seconds`: whole seconds below a
    /// minute, whole minutes below an hour, whole hours above.
    static func cron(everySeconds seconds: Int64) -> String {
        let seconds = max(1, seconds)
        if seconds < 60 { return "*/\(seconds) * * * * *" }
        if seconds < 3_600 { return "0 */\(max(1, seconds / 60)) * * * *" }
        return "0 0 */\(min(23, max(1, seconds / 3_600))) * * *"
    }

    /// This node's name in the job table: host name and process id.
    static func nodeID() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "node"
        return "\(host):\(getpid())"
    }
}
