import BerthCore
import Glibc
import Synchronization

/// The metadata store on SQLite: WAL journal, `synchronous=FULL` (an acknowledged write is durable),
/// foreign keys on, a busy timeout. One writer connection, serialised, and a small pool of reader
/// connections so that reads run in parallel with each other and with the writer. Every SQLite call
/// runs on `BlockingPool.shared`, never on the cooperative pool.
public final class SQLiteMetadataStore: MetadataStore, ListingStore, AuditStore, SQLMetadataStore {
    private let writer: Mutex<SQLiteConnection>
    /// Queues writers without holding pool threads; the mutex then only guards against misuse.
    private let writeGate = AsyncGate()
    private let readers: SQLiteConnectionPool

    static let dialect = SQLDialect.sqlite

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    ///
    /// This runs on the calling thread: it is meant for start-up, before serving. All later calls run on
    /// the blocking pool.
    /// - Parameter readers: the most reader connections open at once.
    public init(path: String, readers: Int = 4) throws {
        let connection = try SQLiteConnection(path: path, readOnly: false)
        try Self.migrate(connection)
        writer = Mutex(connection)
        self.readers = SQLiteConnectionPool(path: path, size: max(1, readers))
    }

    /// The schema version the database is at.
    public func schemaVersion() async throws -> Int {
        try await read { db in
            try db.query("SELECT MAX(version) FROM schema_migrations") { Int($0.integer(0)) }.first ?? 0
        }
    }

    static func migrate(_ db: SQLiteConnection) throws {
        try db.run(Migrations.bookkeeping)
        let current = try db.query("SELECT MAX(version) FROM schema_migrations") { Int($0.integer(0)) }.first ?? 0
        let migrations = Migrations.all(for: .sqlite)
        if let latest = migrations.last?.version, current > latest { throw MetadataError.schemaTooNew(current) }
        for migration in migrations where migration.version > current {
            try db.transaction {
                for statement in migration.statements { try db.run(statement) }
                try db.run("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                           [.integer(Int64(migration.version)), .integer(Self.now())])
            }
        }
    }

    // MARK: Access helpers

    /// Runs `body` in a write transaction on the writer connection.
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await writeGate.run {
            try await BlockingPool.shared.run {
                try self.writer.withLock { db in try db.transaction { try body(db) } }
            }
        }
    }

    /// Runs `body` on a reader connection.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await BlockingPool.shared.run { [readers] in try readers.withConnection(body) }
    }

    /// Seconds since the epoch.
    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }
}
