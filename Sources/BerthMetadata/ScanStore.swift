/// Stored scans (inventories and reports) on the metadata database.
public protocol ScanStore: Sendable {
    /// Creates or replaces the record of `record.digest`.
    func saveScan(_ record: ScanRecord) async throws
    /// The record of an artifact, or nil when it was never scanned.
    func scan(digest: String) async throws -> ScanRecord?
    /// The records of those `digests` that were ever scanned, without inventories and reports, in one
    /// query per page of digests (for artifact lists and status pages).
    func scanSummaries(digests: [String]) async throws -> [String: ScanSummary]
    /// Stores the severity summary of a Success record saved without one (an older row), unless the
    /// record changed since `updatedAt`; true when stored.
    func saveCounts(_ counts: ScanCounts, digest: String, updatedAt: Int64) async throws -> Bool
    /// Moves a record from `expected` (its status and update time, as read) to `status` with `error`,
    /// keeping its inventory and report; false when the record changed meanwhile.
    func updateStatus(digest: String, from expected: (status: String, updatedAt: Int64), to status: String,
                      error: String?, at now: Int64) async throws -> Bool
    /// Digests of successful scans matched against a database older than `databaseAt`, at most `limit`.
    func staleScans(olderThan databaseAt: Int64, limit: Int) async throws -> [String]
    /// Stored inventories (JSON) in digest order after `digest` (exclusive; "" starts at the beginning), at
    /// most `limit`; for callers that page through every inventory, such as `berth vulndb update` looking
    /// for the ecosystems in use.
    func inventories(after digest: String, limit: Int) async throws -> [(digest: String, inventoryJSON: String)]
}

/// The scan store on the same database as an open metadata store.
public enum ScanStoreFactory {
    /// nil for a metadata store with no SQL database behind it.
    public static func store(on metadata: any MetadataStore) -> (any ScanStore)? {
        if let sqlite = metadata as? SQLiteMetadataStore { return SQLScanStore(metadata: sqlite) }
        if let postgres = metadata as? PostgresMetadataStore { return SQLScanStore(metadata: postgres) }
        return nil
    }
}
