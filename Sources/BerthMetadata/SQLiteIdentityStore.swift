/// `IdentityStore` on the same SQLite database (and connections) as a `SQLiteMetadataStore`.
/// Build it with `SQLiteIdentityStore(metadata:)` or `metadataStore.identityStore()`.
///
/// The queries are `SQLIdentityStore`'s; writes run on the metadata store's single writer.
public final class SQLiteIdentityStore: SQLIdentityStore {
    let base: SQLiteMetadataStore

    static let dialect = SQLDialect.sqlite

    /// Shares the writer and reader connections of `metadata` (its migrations include the identity tables).
    public init(metadata: SQLiteMetadataStore) {
        base = metadata
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await base.write(body)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await base.read(body)
    }
}

extension SQLiteMetadataStore {
    /// The identity store on this database.
    public func identityStore() -> SQLiteIdentityStore { SQLiteIdentityStore(metadata: self) }
}
