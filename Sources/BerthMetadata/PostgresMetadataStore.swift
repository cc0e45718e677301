import BerthCore
import Synchronization

/// The metadata store on PostgreSQL, for a cluster of Berth nodes sharing one database.
///
/// A pool of connections (opened lazily, health-checked, reconnected when the server session is lost);
/// every libpq call runs on `BlockingPool.shared`, never on the cooperative pool. Writes run in
/// SERIALIZABLE transactions, so they behave as SQLite's single writer does, and are retried with
/// backoff on serialization failure (40001) and deadlock (40P01). Migrations are the SQLite ones
/// (`Migrations.all(for: .postgres)`), applied under an advisory lock so nodes starting together do
/// not race.
public final class PostgresMetadataStore: MetadataStore, ListingStore, AuditStore, SQLMetadataStore {
    let pool: PostgresConnectionPool
    /// The most attempts of one write transaction.
    let maxAttempts: Int
    private let retryCounter = Atomic<Int>(0)

    static let dialect = SQLDialect.postgres

    /// The advisory-lock key that serialises migrations across nodes ("berth" in ASCII).
    static let migrationLockKey: Int64 = 0x6265_7274_68

    /// Connects to `url` and applies pending migrations.
    ///
    /// This runs on the calling thread: it is meant for start-up, before serving.
    /// - Parameters:
    ///   - url: a libpq connection URI, e.g. `postgres://user:pass@127.0.0.1:5432/berth?sslmode=disable`.
    ///   - schema: a schema to keep the tables in (created if missing); the connection's default when nil.
    ///   - connections: the most connections open at once.
    ///   - maxAttempts: the most attempts of a write transaction that hits a serialization failure.
    public init(url: String, schema: String? = nil, connections: Int = 8, maxAttempts: Int = 10) throws {
        let setup = schema.map { ["SET search_path TO \(Self.quoted($0))"] } ?? []
        pool = PostgresConnectionPool(url: url, setup: setup, size: connections)
        self.maxAttempts = max(1, maxAttempts)
        let connection = try Self.mapped { try PostgresConnection(url: url, setup: setup) }
        try Self.mapped { try Self.migrate(connection, schema: schema) }
    }

    /// How many times a write transaction was retried since this store was created.
    public var retries: Int { retryCounter.load(ordering: .relaxed) }

    /// The schema version the database is at.
    public func schemaVersion() async throws -> Int {
        try await read { db in
            try db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") { Int($0.integer(0)) }.first ?? 0
        }
    }

    static func migrate(_ db: PostgresConnection, schema: String?) throws {
        try db.execute("SELECT pg_advisory_lock(\(migrationLockKey))")
        defer { try? db.execute("SELECT pg_advisory_unlock(\(migrationLockKey))") }
        if let schema { try db.execute("CREATE SCHEMA IF NOT EXISTS \(quoted(schema))") }
        try db.execute(Migrations.bookkeeping)
        let current = try db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") { Int($0.integer(0)) }.first ?? 0
        let migrations = Migrations.all(for: .postgres)
        if let latest = migrations.last?.version, current > latest { throw MetadataError.schemaTooNew(current) }
        for migration in migrations where migration.version > current {
            try transaction(db, isolation: "READ COMMITTED") {
                for statement in migration.statements { try db.execute(statement) }
                try db.run("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                           [.integer(Int64(migration.version)), .integer(SQLiteMetadataStore.now())])
            }
        }
    }

    // MARK: Access helpers

    /// Runs `body` in a SERIALIZABLE transaction, retrying the whole transaction with backoff when
    /// PostgreSQL reports a serialization failure or deadlock, or when the connection was lost before
    /// the commit was sent.
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await BlockingPool.shared.run { [pool] in
                    try pool.withConnection { db in try Self.transaction(db, isolation: "SERIALIZABLE") { try body(db) } }
                }
            } catch let error as PostgresError {
                guard (error.isRetryable || error.broken), attempt < maxAttempts else { throw error.metadataError }
                retryCounter.add(1, ordering: .relaxed)
                try await Task.sleep(for: Self.backoff(attempt: attempt))
                attempt += 1
            }
        }
    }

    /// Runs `body` on a pooled connection (autocommit), once more on a fresh session if the
    /// connection turns out to be lost.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await BlockingPool.shared.run { [pool] in try pool.withConnection(body) }
            } catch let error as PostgresError {
                guard error.broken, attempt < 2 else { throw error.metadataError }
                attempt += 1
            }
        }
    }

    /// Exponential backoff with jitter: about 2, 4, 8 … ms, at most about 100 ms.
    static func backoff(attempt: Int) -> Duration {
        let base = Int64(min(100, 1 << min(attempt, 7)))
        return .microseconds(Int64.random(in: (base * 500)...(base * 1_000)))
    }

    /// Runs `body` between BEGIN and COMMIT, rolling back on error. A lost connection during COMMIT
    /// leaves the outcome unknown, so it is reported as final, not retryable.
    static func transaction<T>(_ db: PostgresConnection, isolation: String, _ body: () throws -> T) throws -> T {
        try db.execute("BEGIN ISOLATION LEVEL \(isolation)")
        let result: T
        do {
            result = try body()
        } catch {
            if !db.isBroken { try? db.execute("ROLLBACK") }
            throw error
        }
        do {
            try db.execute("COMMIT")
        } catch let error as PostgresError where error.broken {
            throw MetadataError.sql("PostgreSQL connection lost during COMMIT: \(error.message)")
        }
        return result
    }

    private static func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PostgresError { throw error.metadataError }
    }

    /// A double-quoted SQL identifier.
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacing("\"", with: "\"\"") + "\""
    }

    /// A PostgreSQL array literal of quoted text elements.
    static func textArray(_ values: [String]) -> String {
        let elements = values.map { value in
            "\"" + value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }
        return "{" + elements.joined(separator: ",") + "}"
    }
}
