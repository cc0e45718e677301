/// Stored scans (inventories and reports) on the metadata database.
public protocol ScanStore: Sendable {
    /// Creates or replaces the record of `record.digest`.
    func saveScan(_ record: ScanRecord) async throws
    /// The record of an artifact, or nil when it was never scanned.
    func scan(digest: String) async throws -> ScanRecord?
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
        if let sqlite = metadata as? SQLiteMetadataStore { return SQLiteScanStore(metadata: sqlite) }
        if let postgres = metadata as? PostgresMetadataStore { return PostgresScanStore(metadata: postgres) }
        return nil
    }
}
