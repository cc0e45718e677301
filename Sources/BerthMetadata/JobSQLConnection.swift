/// The part of a database connection the job queries need, so one implementation of them
/// (`JobQueries`) serves SQLite and PostgreSQL: both take `?` placeholders and `SQLValue` parameters.
protocol JobSQLConnection {
    associatedtype Row: JobSQLRow
    func run(_ sql: String, _ parameters: [SQLValue]) throws -> Int
    func query<T>(_ sql: String, _ parameters: [SQLValue], row: (Row) throws -> T) throws -> [T]
}

/// Column access the job queries need.
protocol JobSQLRow {
    func integer(_ column: Int32) -> Int64
    func isNull(_ column: Int32) -> Bool
    func text(_ column: Int32) -> String?
}

extension SQLiteConnection: JobSQLConnection {}
extension SQLiteRow: JobSQLRow {}
extension PostgresConnection: JobSQLConnection {}
extension PostgresRow: JobSQLRow {}

extension JobSQLRow {
    func optionalInteger(_ column: Int32) -> Int64? { isNull(column) ? nil : integer(column) }
}
