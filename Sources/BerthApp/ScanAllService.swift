import BerthAPI
import BerthCore
import BerthJobs
import BerthMetadata
import FoundationEssentials
import Synchronization

/// Harbor's scan all: queues a scan of every image artifact of every repository as one durable
/// `scan.all` job (resumed after a restart), by hand or on a cron schedule kept in the job store's
/// schedule table (so each firing runs on one node of a cluster), and reports the progress of the latest
/// run from the scans it queued.
final class ScanAllService: ScanAllProvider {
    static let jobType = "scan.all"
    static let scheduleID = "scan.all"
    /// Harbor's portal crons for its fixed schedule types (six fields, seconds first).
    static let defaultCrons = ["Hourly": "0 0 * * * *", "Daily": "0 0 0 * * *", "Weekly": "0 0 0 * * 0"]
    /// How long a run with unfinished scans keeps a new manual run from starting (a scan whose job was
    /// lost would otherwise block scan all for ever).
    static let blockingSeconds: Int64 = 6 * 3_600
    static let jobTimeoutMillis: Int64 = 6 * 3_600_000

    struct Payload: Codable, Sendable {
        var trigger: String
        var requester: String
        /// The schedule type, for scheduled runs.
        var type: String?
    }

    let identity: any IdentityStore
    let listings: any ListingStore
    let scanner: any ScanProvider
    let scans: any ScanStore
    let runner: JobRunner
    let scheduler: JobScheduler
    let jobs: any JobStore
    let ledger: ScanAllLedger
    /// Final statuses already seen, per run id, so that metrics look each finished scan up once.
    private let finished = Mutex<[Int64: [String: String]]>([:])

    init(identity: any IdentityStore, listings: any ListingStore, scanner: any ScanProvider, scans: any ScanStore,
         runner: JobRunner, scheduler: JobScheduler, jobs: any JobStore) {
        self.identity = identity
        self.listings = listings
        self.scanner = scanner
        self.scans = scans
        self.runner = runner
        self.scheduler = scheduler
        self.jobs = jobs
        ledger = ScanAllLedger(store: identity)
        runner.register(Self.jobType) { [self] job, context in try await run(job, context) }
    }

    /// The service on `serve`'s scanner and job queue.
    convenience init(scanning: ScanWiring, jobs: JobsWiring, identity: any IdentityStore, listings: any ListingStore) {
        self.init(identity: identity, listings: listings, scanner: scanning.service, scans: scanning.service.scans,
                  runner: jobs.runner, scheduler: jobs.scheduler, jobs: jobs.store)
    }

    // MARK: Schedule

    func schedule() async throws -> ScanAllSchedule? {
        guard let stored = try await jobs.schedule(id: Self.scheduleID) else { return nil }
        let payload = try? JSONDecoder().decode(Payload.self, from: Data(stored.payload.utf8))
        let next = (try? CronExpression(stored.cron))?.next(after: Self.now())
        return ScanAllSchedule(type: payload?.type ?? "Custom", cron: stored.cron, createdAt: stored.createdAt / 1_000,
                               updatedAt: stored.updatedAt / 1_000, nextFireAt: next)
    }

    func saveSchedule(type: String, cron: String) async throws -> ScanAllSchedule {
        guard ["Hourly", "Daily", "Weekly", "Custom"].contains(type) else {
            throw HarborError(.badRequest, "unknown schedule type \(type)")
        }
        let text = cron.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        guard let expression = text.isEmpty ? Self.defaultCrons[type] : text else {
            throw HarborError(.badRequest, "a Custom schedule needs a cron expression")
        }
        do {
            _ = try CronExpression(expression)
        } catch {
            throw HarborError(.badRequest, "invalid cron expression '\(expression)': \(error)")
        }
        let payload = Payload(trigger: "Schedule", requester: "scheduler", type: type)
        try await scheduler.save(id: Self.scheduleID, cron: expression, jobType: Self.jobType,
                                 payload: String(decoding: try JSONEncoder().encode(payload), as: UTF8.self),
                                 maxAttempts: 3, timeoutMillis: Self.jobTimeoutMillis)
        guard let saved = try await schedule() else { throw HarborError(.internalServerError, "the schedule was not saved") }
        return saved
    }

    func removeSchedule() async throws -> Bool {
        try await scheduler.remove(id: Self.scheduleID)
    }

    // MARK: Runs

    func startScanAll(requester: String) async throws -> Bool {
        let latest = try await ledger.latest()
        if let latest, try await isBlocking(latest) { return false }
        // Two administrators starting at once share one dedupe key: only one run starts.
        let payload = Payload(trigger: "Manual", requester: requester, type: nil)
        let result = try await runner.enqueue(JobRequest(
            type: Self.jobType, payload: String(decoding: try JSONEncoder().encode(payload), as: UTF8.self),
            runAfter: Self.now() * 1_000 + 1_000, maxAttempts: 3, timeoutMillis: Self.jobTimeoutMillis,
            dedupeKey: "scan.all.manual.after.\(latest?.id ?? 0)"))
        guard result.created else { return false }
        // Recorded at once, so the metrics show the run before its job starts (a second later).
        if try await ledger.latest(trigger: "Manual")?.id != result.job.id {
            try await ledger.save(ScanAllExecution(id: result.job.id, trigger: "Manual", requester: requester,
                                                   startedAt: Self.now(), total: 0, chunks: 0, enumerated: false))
        }
        return true
    }

    func metrics(scheduledOnly: Bool) async throws -> ScanAllStats {
        let execution = scheduledOnly ? try await ledger.latest(trigger: "Schedule") : try await ledger.latest()
        guard let execution else {
            return ScanAllStats(metrics: ["Success": 0, "Error": 0, "Running": 0, "Pending": 0])
        }
        return try await stats(of: execution)
    }

    /// Whether `execution` keeps a new manual run from starting.
    private func isBlocking(_ execution: ScanAllExecution) async throws -> Bool {
        if try await isQueueing(execution) { return true }
        return try await stats(of: execution).ongoing && Self.now() - execution.startedAt < Self.blockingSeconds
    }

    /// True while the run's job may still queue artifacts.
    private func isQueueing(_ execution: ScanAllExecution) async throws -> Bool {
        guard !execution.enumerated, let job = try await jobs.job(id: execution.id) else { return false }
        return !job.status.isFinal
    }

    /// Counts the run's scans by status.
    func stats(of execution: ScanAllExecution) async throws -> ScanAllStats {
        let digests = try await ledger.digests(of: execution)
        var known = finished.withLock { $0[execution.id] ?? [:] }
        var counts = ["Success": 0, "Error": 0, "Running": 0, "Pending": 0]
        let summaries = try await scans.scanSummaries(digests: digests.filter { known[$0] == nil })
        for digest in digests {
            let status: String
            if let seen = known[digest] {
                status = seen
            } else {
                var summary = summaries[digest]
                if let stored = summary, let service = scanner as? ScanService { summary = await service.reconciled(stored) }
                status = summary?.status ?? "Pending"
                if ["Success", "Error", "Stopped"].contains(status) { known[digest] = status }
            }
            counts[status, default: 0] += 1
        }
        let keep = Set([try await ledger.latest(trigger: "Manual")?.id, try await ledger.latest(trigger: "Schedule")?.id]
            .compactMap { $0 })
        finished.withLock { cache in
            cache[execution.id] = known
            cache = cache.filter { keep.contains($0.key) }
        }
        let completed = (counts["Success"] ?? 0) + (counts["Error"] ?? 0) + (counts["Stopped"] ?? 0)
        let ongoing = try await isQueueing(execution) || completed < digests.count
        return ScanAllStats(total: digests.count, completed: completed, metrics: counts, requester: execution.requester,
                            ongoing: ongoing, trigger: execution.trigger)
    }

    // MARK: The job

    private func run(_ job: Job, _ context: JobContext) async throws {
        let payload = try JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8))
        var queue: ScanAllQueue
        if let existing = try await ledger.latest(trigger: payload.trigger), existing.id == job.id {
            if existing.enumerated { return }
            queue = ScanAllQueue(execution: existing, queued: Set(try await ledger.digests(of: existing)), ledger: ledger,
                                 scanner: scanner)
        } else {
            let execution = ScanAllExecution(id: job.id, trigger: payload.trigger, requester: payload.requester,
                                             startedAt: Self.now(), total: 0, chunks: 0, enumerated: false)
            try await ledger.save(execution)
            queue = ScanAllQueue(execution: execution, queued: [], ledger: ledger, scanner: scanner)
        }
        try await ScanAllEnumerator(identity: identity, listings: listings).forEachImage { repository, digest in
            try await queue.add(repository: repository, digest: digest)
            if queue.buffered == 0 {
                try await context.report(progress: 50, message: "queued \(queue.execution.total) artifacts")
            }
        }
        try await queue.finish()
        try await context.report(progress: 100, message: "queued \(queue.execution.total) artifacts")
        Log.info("scan all (\(payload.trigger)) queued \(queue.execution.total) artifacts")
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
