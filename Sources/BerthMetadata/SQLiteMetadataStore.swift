import BerthCore
import Glibc
import Synchronization

/// The metadata store on SQLite: WAL journal, `synchronous=FULL` (an acknowledged write is durable),
/// foreign keys on, a busy timeout. One writer connection, serialised, and a small pool of reader
/// connections so that reads run in parallel with each other and with the writer. Every SQLite call
/// runs on `BlockingPool.shared`, never on the cooperative pool.
public final class SQLiteMetadataStore: MetadataStore {
    private let writer: Mutex<SQLiteConnection>
    /// Queues writers without holding pool threads; the mutex then only guards against misuse.
    private let writeGate = AsyncGate()
    private let readers: SQLiteConnectionPool

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

    static func digest(_ text: String?) throws -> Digest {
        guard let text, let digest = Digest.parse(text) else { throw MetadataError.corrupt("digest \(text ?? "NULL")") }
        return digest
    }

    static func ensureRepository(_ db: SQLiteConnection, _ repository: RepositoryName) throws {
        try db.run("INSERT INTO repositories (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                   [.text(repository.value), .integer(now())])
    }

    /// A bound for `LIMIT` meaning "no limit", valid on SQLite and PostgreSQL.
    static func limit(_ limit: Int?) -> SQLValue { .integer(limit.map { Int64(max(0, $0)) } ?? Int64.max) }

    // MARK: Repositories

    public func repositoryExists(_ repository: RepositoryName) async throws -> Bool {
        try await read { db in
            try !db.query("SELECT 1 FROM repositories WHERE name = ?", [.text(repository.value)]) { _ in true }.isEmpty
        }
    }

    public func createRepository(_ repository: RepositoryName) async throws {
        try await write { db in try Self.ensureRepository(db, repository) }
    }

    public func repositories(after: String?, limit: Int?) async throws -> [String] {
        try await read { db in
            try db.query("SELECT name FROM repositories WHERE name > ? ORDER BY name LIMIT ?",
                         [.text(after ?? ""), Self.limit(limit)]) { $0.text(0) ?? "" }
        }
    }

    // MARK: Uploads

    public func createUpload(_ upload: UploadRecord) async throws {
        try await write { db in
            try Self.ensureRepository(db, upload.repository)
            try db.run("INSERT INTO uploads (id, repository, created_at, updated_at) VALUES (?, ?, ?, ?)",
                       [.text(upload.id), .text(upload.repository.value),
                        .integer(upload.createdAt), .integer(upload.updatedAt)])
        }
    }

    public func upload(id: String) async throws -> UploadRecord? {
        try await read { db in
            try db.query("SELECT id, repository, created_at, updated_at FROM uploads WHERE id = ?",
                         [.text(id)], row: Self.uploadRecord).first
        }
    }

    public func touchUpload(id: String, at time: Int64) async throws {
        try await write { db in
            try db.run("UPDATE uploads SET updated_at = ? WHERE id = ?", [.integer(time), .text(id)])
        }
    }

    public func deleteUpload(id: String) async throws {
        try await write { db in try db.run("DELETE FROM uploads WHERE id = ?", [.text(id)]) }
    }

    public func uploads(updatedAtOrBefore cutoff: Int64, limit: Int) async throws -> [UploadRecord] {
        try await read { db in
            try db.query("""
                SELECT id, repository, created_at, updated_at FROM uploads
                WHERE updated_at <= ? ORDER BY updated_at, id LIMIT ?
                """, [.integer(cutoff), Self.limit(limit)], row: Self.uploadRecord)
        }
    }

    private static func uploadRecord(_ row: SQLiteRow) throws -> UploadRecord {
        guard let id = row.text(0), let name = row.text(1), let repository = RepositoryName(name) else {
            throw MetadataError.corrupt("upload row")
        }
        return UploadRecord(id: id, repository: repository, createdAt: row.integer(2), updatedAt: row.integer(3))
    }
}
