/// The part of a database connection the shared store queries need (`SQLIdentityStore`,
/// `SQLMetadataStore`), so one implementation of them serves SQLite and PostgreSQL: both take `?`
/// placeholders and `SQLValue` parameters.
protocol SQLConnection {
    associatedtype Row: SQLRow
    /// Runs a statement and returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ parameters: [SQLValue]) throws -> Int
    /// Runs a query and maps each row.
    func query<T>(_ sql: String, _ parameters: [SQLValue], row: (Row) throws -> T) throws -> [T]
}

/// Column access the shared store queries need.
protocol SQLRow: JobSQLRow {
    func bytes(_ column: Int32) -> [UInt8]
}

extension SQLiteConnection: SQLConnection {}
extension SQLiteRow: SQLRow {}
extension PostgresConnection: SQLConnection {}
extension PostgresRow: SQLRow {}

extension SQLConnection {
    /// Whether `sql` returns at least one row.
    func exists(_ sql: String, _ parameters: [SQLValue]) throws -> Bool {
        try !query(sql, parameters) { _ in true }.isEmpty
    }

    /// The first column of the first row as an integer, or nil without rows.
    func integer(_ sql: String, _ parameters: [SQLValue] = []) throws -> Int64? {
        try query(sql, parameters) { $0.integer(0) }.first
    }
}
