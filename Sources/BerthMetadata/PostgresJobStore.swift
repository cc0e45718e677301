import BerthCore

/// The job queue on PostgreSQL, for many nodes sharing one database. Claims lock their candidate row
/// with `FOR UPDATE SKIP LOCKED` in a READ COMMITTED transaction, so concurrent claimers on any node
/// take different jobs without waiting for each other; every other change is a single guarded
/// statement (or two) in its own transaction.
public final class PostgresJobStore: JobStore {
    private let store: PostgresMetadataStore
    private let clock: JobClock

    /// A job store over an open metadata store (the migrations that create the job tables already ran).
    public init(metadata: PostgresMetadataStore, clock: JobClock = .system) {
        store = metadata
        self.clock = clock
    }

    /// Connects (migrating if needed); see `PostgresMetadataStore.init(url:schema:connections:maxAttempts:)`.
    public convenience init(url: String, schema: String? = nil, connections: Int = 8, clock: JobClock = .system) throws {
        self.init(metadata: try PostgresMetadataStore(url: url, schema: schema, connections: connections), clock: clock)
    }

    /// Runs `body` in a READ COMMITTED transaction, retried on deadlock, serialization failure or a
    /// connection lost before COMMIT.
    private func write<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection, Int64) throws -> T) async throws -> T {
        var attempt = 1
        while true {
            let now = clock.now()
            do {
                return try await BlockingPool.shared.run { [pool = store.pool] in
                    try pool.withConnection { db in
                        try PostgresMetadataStore.transaction(db, isolation: "READ COMMITTED") { try body(db, now) }
                    }
                }
            } catch let error as PostgresError {
                guard error.isRetryable || error.broken, attempt < store.maxAttempts else { throw error.metadataError }
                try await Task.sleep(for: PostgresMetadataStore.backoff(attempt: attempt))
                attempt += 1
            }
        }
    }

    public func enqueue(_ request: JobRequest) async throws -> JobEnqueueResult {
        try await write { db, now in try JobQueries.enqueue(db, request, now: now) }
    }

    public func claim(worker: String, types: [String]) async throws -> Job? {
        try await write { db, now in
            try JobQueries.claim(db, worker: worker, types: types, now: now, lock: "FOR UPDATE SKIP LOCKED")
        }
    }

    public func heartbeat(_ lease: JobLease, progress: Int?, message: String?) async throws -> JobLeaseState {
        try await write { db, now in try JobQueries.heartbeat(db, lease, progress: progress, message: message, now: now) }
    }

    public func complete(_ lease: JobLease, message: String?) async throws -> Bool {
        try await write { db, now in try JobQueries.complete(db, lease, message: message, now: now) }
    }

    public func fail(_ lease: JobLease, error: String, retryDelayMillis: Int64) async throws -> JobStatus? {
        try await write { db, now in
            try JobQueries.fail(db, lease, error: error, retryDelay: retryDelayMillis, now: now)
        }
    }

    public func release(_ lease: JobLease) async throws -> Bool {
        try await write { db, now in try JobQueries.release(db, lease, now: now) }
    }

    public func markStopped(_ lease: JobLease) async throws -> Bool {
        try await write { db, now in try JobQueries.markStopped(db, lease, now: now) }
    }

    public func stop(id: Int64) async throws -> Job? {
        try await write { db, now in try JobQueries.stop(db, id: id, now: now) }
    }

    public func retry(id: Int64) async throws -> Bool {
        try await write { db, now in try JobQueries.retry(db, id: id, now: now) }
    }

    public func job(id: Int64) async throws -> Job? {
        try await store.read { db in try JobQueries.job(db, id: id) }
    }

    public func jobs(_ query: JobQuery) async throws -> [Job] {
        try await store.read { db in try JobQueries.jobs(db, query) }
    }

    public func counts(type: String?) async throws -> [JobStatus: Int] {
        try await store.read { db in try JobQueries.counts(db, type: type) }
    }

    public func purge(finishedBefore cutoff: Int64) async throws -> Int {
        try await write { db, _ in try JobQueries.purge(db, finishedBefore: cutoff) }
    }

    public func saveSchedule(_ schedule: JobSchedule) async throws {
        try await write { db, _ in try JobQueries.saveSchedule(db, schedule) }
    }

    public func schedule(id: String) async throws -> JobSchedule? {
        try await store.read { db in try JobQueries.schedules(db, id: id).first }
    }

    public func schedules() async throws -> [JobSchedule] {
        try await store.read { db in try JobQueries.schedules(db, id: nil) }
    }

    public func deleteSchedule(id: String) async throws -> Bool {
        try await write { db, _ in try JobQueries.deleteSchedule(db, id: id) }
    }

    public func fireSchedule(id: String, at fireTime: Int64) async throws -> Job? {
        try await write { db, now in try JobQueries.fireSchedule(db, id: id, at: fireTime, now: now) }
    }
}
