import BerthCore
import BerthMetadata
import Synchronization

/// Turns the schedules stored in a `JobStore` into jobs. Every node may run one: each firing is
/// recorded with the schedule's `lastFiredAt` and a dedupe key (schedule id and fire time) in one
/// transaction, so nodes racing on the same firing enqueue one job between them. Firings missed while
/// no node was running coalesce into one (the latest) rather than a burst.
public final class JobScheduler: Sendable {
    private let store: any JobStore
    private let interval: Duration
    private let clock: JobClock
    private let onEnqueue: @Sendable () -> Void
    private let wakeSignal = WakeSignal()
    private let loop = Mutex<(task: Task<Void, Never>?, stopping: Bool)>((nil, false))

    /// - Parameters:
    ///   - interval: how often stored schedules are checked (the most a firing is late).
    ///   - onEnqueue: called after a tick enqueued jobs, e.g. `runner.wake()`.
    public init(store: any JobStore, interval: Duration = .seconds(1), clock: JobClock = .system,
                onEnqueue: @escaping @Sendable () -> Void = {}) {
        self.store = store
        self.interval = interval
        self.clock = clock
        self.onEnqueue = onEnqueue
    }

    /// Creates or replaces a schedule after checking its cron expression. It fires from the next
    /// firing after now on, never for past ones.
    @discardableResult
    public func save(id: String, cron: String, jobType: String, payload: String = "{}", maxAttempts: Int = 3,
                     timeoutMillis: Int64 = 600_000, enabled: Bool = true) async throws -> JobSchedule {
        _ = try CronExpression(cron)
        let now = clock.now()
        let existing = try await store.schedule(id: id)
        let schedule = JobSchedule(id: id, cron: cron, jobType: jobType, payload: payload, maxAttempts: maxAttempts,
                                   timeoutMillis: timeoutMillis, enabled: enabled, lastFiredAt: now,
                                   createdAt: existing?.createdAt ?? now, updatedAt: now)
        try await store.saveSchedule(schedule)
        return try await store.schedule(id: id) ?? schedule
    }

    /// Deletes a schedule; false when there was none.
    public func remove(id: String) async throws -> Bool {
        try await store.deleteSchedule(id: id)
    }

    /// Checks every enabled schedule once and enqueues the firings that are due; returns the jobs this
    /// call created (a firing another node already recorded is not among them).
    @discardableResult
    public func tick() async throws -> [Job] {
        let nowSeconds = Self.floorSeconds(clock.now())
        var created: [Job] = []
        for schedule in try await store.schedules() where schedule.enabled {
            let cron: CronExpression
            do {
                cron = try CronExpression(schedule.cron)
            } catch {
                Log.warning("jobs: schedule \(schedule.id) has an invalid cron expression '\(schedule.cron)': \(error)")
                continue
            }
            guard let fire = cron.previous(atOrBefore: nowSeconds).map({ $0 * 1_000 }), fire > schedule.lastFiredAt else {
                continue
            }
            if let job = try await store.fireSchedule(id: schedule.id, at: fire) { created.append(job) }
        }
        if !created.isEmpty { onEnqueue() }
        return created
    }

    /// Starts ticking every `interval` in the background. Calling it again does nothing.
    public func start() {
        loop.withLock { loop in
            guard loop.task == nil, !loop.stopping else { return }
            loop.task = Task { [self] in
                while !isStopping {
                    let seen = wakeSignal.generation
                    do { try await tick() } catch { Log.warning("jobs: scheduler tick failed: \(error)") }
                    await wakeSignal.wait(seen: seen, timeout: interval)
                }
            }
        }
    }

    /// Stops the background loop and waits for it.
    public func shutdown() async {
        let task = loop.withLock { loop -> Task<Void, Never>? in
            loop.stopping = true
            return loop.task
        }
        wakeSignal.signal()
        await task?.value
    }

    private var isStopping: Bool { loop.withLock { $0.stopping } }

    private static func floorSeconds(_ millis: Int64) -> Int64 {
        millis >= 0 ? millis / 1_000 : -((-millis + 999) / 1_000)
    }
}
