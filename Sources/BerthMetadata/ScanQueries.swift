/// The scan statements, shared by SQLite and PostgreSQL (both take `?` placeholders).
enum ScanQueries {
    static let tables = [
        """
        CREATE TABLE scan_reports (
            digest TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            progress INTEGER NOT NULL,
            inventory TEXT,
            report TEXT,
            error TEXT,
            database_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX scan_reports_database ON scan_reports(status, database_at)",
    ]

    static func save<C: JobSQLConnection>(_ db: C, _ record: ScanRecord) throws {
        _ = try db.run("""
            INSERT INTO scan_reports (digest, status, progress, inventory, report, error, database_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (digest) DO UPDATE SET status = excluded.status, progress = excluded.progress,
                inventory = excluded.inventory, report = excluded.report, error = excluded.error,
                database_at = excluded.database_at, updated_at = excluded.updated_at
            """, [.text(record.digest), .text(record.status), .integer(Int64(record.progress)), optional(record.inventoryJSON),
                  optional(record.reportJSON), optional(record.error), .integer(record.databaseAt), .integer(record.updatedAt)])
    }

    static func find<C: JobSQLConnection>(_ db: C, digest: String) throws -> ScanRecord? {
        try db.query("""
            SELECT digest, status, progress, inventory, report, error, database_at, updated_at
            FROM scan_reports WHERE digest = ?
            """, [.text(digest)]) { row in
            ScanRecord(digest: row.text(0) ?? "", status: row.text(1) ?? "", progress: Int(row.integer(2)),
                       inventoryJSON: row.text(3), reportJSON: row.text(4), error: row.text(5),
                       databaseAt: row.integer(6), updatedAt: row.integer(7))
        }.first
    }

    static func stale<C: JobSQLConnection>(_ db: C, olderThan databaseAt: Int64, limit: Int) throws -> [String] {
        try db.query("""
            SELECT digest FROM scan_reports WHERE status = 'Success' AND database_at < ? AND inventory IS NOT NULL
            ORDER BY digest LIMIT ?
            """, [.integer(databaseAt), .integer(Int64(limit))]) { row in row.text(0) ?? "" }
    }

    static func inventories<C: JobSQLConnection>(_ db: C, after digest: String, limit: Int) throws
        -> [(digest: String, inventoryJSON: String)] {
        try db.query("""
            SELECT digest, inventory FROM scan_reports WHERE digest > ? AND inventory IS NOT NULL
            ORDER BY digest LIMIT ?
            """, [.text(digest), .integer(Int64(limit))]) { row in (row.text(0) ?? "", row.text(1) ?? "") }
    }

    private static func optional(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
}

/// Scans on SQLite.
final class SQLiteScanStore: ScanStore {
    private let store: SQLiteMetadataStore
    init(metadata: SQLiteMetadataStore) { store = metadata }

    func saveScan(_ record: ScanRecord) async throws {
        try await store.write { db in try ScanQueries.save(db, record) }
    }

    func scan(digest: String) async throws -> ScanRecord? {
        try await store.read { db in try ScanQueries.find(db, digest: digest) }
    }

    func staleScans(olderThan databaseAt: Int64, limit: Int) async throws -> [String] {
        try await store.read { db in try ScanQueries.stale(db, olderThan: databaseAt, limit: limit) }
    }

    func inventories(after digest: String, limit: Int) async throws -> [(digest: String, inventoryJSON: String)] {
        try await store.read { db in try ScanQueries.inventories(db, after: digest, limit: limit) }
    }
}

/// Scans on PostgreSQL.
final class PostgresScanStore: ScanStore {
    private let store: PostgresMetadataStore
    init(metadata: PostgresMetadataStore) { store = metadata }

    func saveScan(_ record: ScanRecord) async throws {
        try await store.write { db in try ScanQueries.save(db, record) }
    }

    func scan(digest: String) async throws -> ScanRecord? {
        try await store.read { db in try ScanQueries.find(db, digest: digest) }
    }

    func staleScans(olderThan databaseAt: Int64, limit: Int) async throws -> [String] {
        try await store.read { db in try ScanQueries.stale(db, olderThan: databaseAt, limit: limit) }
    }

    func inventories(after digest: String, limit: Int) async throws -> [(digest: String, inventoryJSON: String)] {
        try await store.read { db in try ScanQueries.inventories(db, after: digest, limit: limit) }
    }
}
