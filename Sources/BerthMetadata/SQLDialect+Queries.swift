/// Where the SQL of the shared store queries (`SQLIdentityStore`, `SQLMetadataStore`) differs between
/// SQLite and PostgreSQL.
extension SQLDialect {
    /// The `LIKE` that ignores ASCII case: SQLite's `LIKE` does, PostgreSQL needs `ILIKE`.
    var caseInsensitiveLike: String {
        switch self {
        case .sqlite: "LIKE"
        case .postgres: "ILIKE"
        }
    }

    /// `expression` compared and sorted byte-wise, as SQLite does by default (PostgreSQL's "C" collation).
    func byteOrdered(_ expression: String) -> String {
        switch self {
        case .sqlite: expression
        case .postgres: expression + " COLLATE \"C\""
        }
    }

    /// A stable integer id of a row: SQLite's `alias.rowid`; on PostgreSQL (no rowid) a 52-bit hash of
    /// `key`, the same on every node and small enough for JavaScript clients to hold exactly.
    func rowID(_ alias: String, key: String) -> String {
        switch self {
        case .sqlite: "\(alias).rowid"
        case .postgres: "('x' || substr(md5(\(key)), 1, 13))::bit(52)::bigint"
        }
    }

    /// `expression` (a sum of BIGINTs) as a BIGINT: PostgreSQL's SUM over BIGINT is NUMERIC.
    func bigint(_ expression: String) -> String {
        switch self {
        case .sqlite: expression
        case .postgres: "(\(expression))::bigint"
        }
    }

    /// `sql` with its fuzzy (`LIKE`) predicates made case-insensitive in this dialect.
    func listing(_ sql: ListingSQL) -> ListingSQL {
        guard self == .postgres else { return sql }
        var sql = sql
        sql.predicates = sql.predicates.map { $0.replacing(" LIKE ? ESCAPE ", with: " ILIKE ? ESCAPE ") }
        return sql
    }

    /// Whether list pages select their keys first and only then the costly per-row columns: SQLite
    /// would otherwise evaluate the select list for every row skipped by OFFSET or sorted.
    var pagesKeysFirst: Bool { self == .sqlite }
}
