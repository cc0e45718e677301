/// Scans on the SQL database of a metadata store (SQLite or PostgreSQL): one implementation over the
/// store's transactions.
final class SQLScanStore<Store: SQLStoreAccess>: ScanStore where Store.DB: JobSQLConnection {
    private let store: Store
    init(metadata: Store) { store = metadata }

    func saveScan(_ record: ScanRecord) async throws {
        try await store.write { db in try ScanQueries.save(db, record) }
    }

    func scan(digest: String) async throws -> ScanRecord? {
        try await store.read { db in try ScanQueries.find(db, digest: digest) }
    }

    func scanSummaries(digests: [String]) async throws -> [String: ScanSummary] {
        guard !digests.isEmpty else { return [:] }
        return try await store.read { db in try ScanQueries.summaries(db, digests: digests) }
    }

    func saveCounts(_ counts: ScanCounts, digest: String, updatedAt: Int64) async throws -> Bool {
        try await store.write { db in try ScanQueries.updateCounts(db, digest: digest, counts: counts, updatedAt: updatedAt) }
    }

    func updateStatus(digest: String, from expected: (status: String, updatedAt: Int64), to status: String,
                      error: String?, at now: Int64) async throws -> Bool {
        try await store.write { db in
            try ScanQueries.updateStatus(db, digest: digest, from: expected, to: status, error: error, at: now)
        }
    }

    func staleScans(olderThan databaseAt: Int64, limit: Int) async throws -> [String] {
        try await store.read { db in try ScanQueries.stale(db, olderThan: databaseAt, limit: limit) }
    }

    func inventories(after digest: String, limit: Int) async throws -> [(digest: String, inventoryJSON: String)] {
        try await store.read { db in try ScanQueries.inventories(db, after: digest, limit: limit) }
    }
}
