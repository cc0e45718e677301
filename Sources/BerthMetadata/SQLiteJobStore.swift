/// The job queue on SQLite, sharing the metadata store's single writer: every change, claims included,
/// runs in one `BEGIN IMMEDIATE` transaction, so two workers can never claim the same job.
public final class SQLiteJobStore: JobStore {
    private let store: SQLiteMetadataStore
    private let clock: JobClock

    /// A job store over an open metadata store (the migrations that create the job tables already ran).
    public init(metadata: SQLiteMetadataStore, clock: JobClock = .system) {
        store = metadata
        self.clock = clock
    }

    /// Opens (creating and migrating if needed) the database at `path`.
    public convenience init(path: String, clock: JobClock = .system) throws {
        self.init(metadata: try SQLiteMetadataStore(path: path), clock: clock)
    }

    public func enqueue(_ request: JobRequest) async throws -> JobEnqueueResult {
        let now = clock.now()
        return try await store.write { db in try JobQueries.enqueue(db, request, now: now) }
    }

    public func claim(worker: String, types: [String]) async throws -> Job? {
        let now = clock.now()
        return try await store.write { db in try JobQueries.claim(db, worker: worker, types: types, now: now, lock: "") }
    }

    public func heartbeat(_ lease: JobLease, progress: Int?, message: String?) async throws -> JobLeaseState {
        let now = clock.now()
        return try await store.write { db in
            try JobQueries.heartbeat(db, lease, progress: progress, message: message, now: now)
        }
    }

    public func complete(_ lease: JobLease, message: String?) async throws -> Bool {
        let now = clock.now()
        return try await store.write { db in try JobQueries.complete(db, lease, message: message, now: now) }
    }

    public func fail(_ lease: JobLease, error: String, retryDelayMillis: Int64) async throws -> JobStatus? {
        let now = clock.now()
        return try await store.write { db in
            try JobQueries.fail(db, lease, error: error, retryDelay: retryDelayMillis, now: now)
        }
    }

    public func release(_ lease: JobLease) async throws -> Bool {
        let now = clock.now()
        return try await store.write { db in try JobQueries.release(db, lease, now: now) }
    }

    public func markStopped(_ lease: JobLease) async throws -> Bool {
        let now = clock.now()
        return try await store.write { db in try JobQueries.markStopped(db, lease, now: now) }
    }

    public func stop(id: Int64) async throws -> Job? {
        let now = clock.now()
        return try await store.write { db in try JobQueries.stop(db, id: id, now: now) }
    }

    public func retry(id: Int64) async throws -> Bool {
        let now = clock.now()
        return try await store.write { db in try JobQueries.retry(db, id: id, now: now) }
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
        try await store.write { db in try JobQueries.purge(db, finishedBefore: cutoff) }
    }

    public func saveSchedule(_ schedule: JobSchedule) async throws {
        try await store.write { db in try JobQueries.saveSchedule(db, schedule) }
    }

    public func schedule(id: String) async throws -> JobSchedule? {
        try await store.read { db in try JobQueries.schedules(db, id: id).first }
    }

    public func schedules() async throws -> [JobSchedule] {
        try await store.read { db in try JobQueries.schedules(db, id: nil) }
    }

    public func deleteSchedule(id: String) async throws -> Bool {
        try await store.write { db in try JobQueries.deleteSchedule(db, id: id) }
    }

    public func fireSchedule(id: String, at fireTime: Int64) async throws -> Job? {
        let now = clock.now()
        return try await store.write { db in try JobQueries.fireSchedule(db, id: id, at: fireTime, now: now) }
    }
}
