/// How the shared store queries reach a store's database: write transactions and reads on the
/// store's connection type, and the SQL dialect it speaks. The transaction and retry rules stay with
/// each store (SQLite's single writer, PostgreSQL's SERIALIZABLE transactions with retries).
protocol SQLStoreAccess: Sendable {
    associatedtype DB: SQLConnection
    /// The SQL dialect of the database.
    static var dialect: SQLDialect { get }
    /// Runs `body` in a write transaction.
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (DB) throws -> T) async throws -> T
    /// Runs `body` on a connection for reading.
    func read<T: Sendable>(_ body: @escaping @Sendable (DB) throws -> T) async throws -> T
}
