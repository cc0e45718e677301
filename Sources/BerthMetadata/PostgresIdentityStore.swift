import BerthCore

/// `IdentityStore` on the same PostgreSQL database (and connection pool) as a `PostgresMetadataStore`,
/// so every node of a cluster sees the same users, projects, robots and sessions.
/// Build it with `PostgresIdentityStore(metadata:)` or `metadataStore.identityStore()`.
///
/// Writes run in SERIALIZABLE transactions: ids are `MAX(id) + 1` and names are checked before they
/// are inserted, so two nodes racing for the same id or name make one transaction fail with a
/// serialization failure (or a unique violation), which is retried; the retry then sees the winner's
/// row. The queries are `SQLIdentityStore`'s: substring filters use `ILIKE` and name order uses the
/// "C" collation, so results match SQLite's.
public final class PostgresIdentityStore: SQLIdentityStore {
    let base: PostgresMetadataStore

    static let dialect = SQLDialect.postgres

    /// Attempts after which a unique violation is reported instead of retried.
    static let uniqueViolationAttempts = 3

    /// Shares the connection pool of `metadata` (its migrations include the identity tables).
    public init(metadata: PostgresMetadataStore) {
        base = metadata
    }

    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await BlockingPool.shared.run { [pool = base.pool] in
                    try pool.withConnection { db in
                        try PostgresMetadataStore.transaction(db, isolation: "SERIALIZABLE") { try body(db) }
                    }
                }
            } catch let error as PostgresError {
                let uniqueRace = error.sqlState == "23505" && attempt < Self.uniqueViolationAttempts
                guard error.isRetryable || error.broken || uniqueRace, attempt < base.maxAttempts else {
                    throw error.metadataError
                }
                try await Task.sleep(for: PostgresMetadataStore.backoff(attempt: attempt))
                attempt += 1
            }
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await base.read(body)
    }
}

extension PostgresMetadataStore {
    /// The identity store on this database.
    public func identityStore() -> PostgresIdentityStore { PostgresIdentityStore(metadata: self) }
}
