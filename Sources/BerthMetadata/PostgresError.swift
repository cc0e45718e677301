/// A failure reported by PostgreSQL or libpq, before it is mapped to `MetadataError`.
struct PostgresError: Error, Sendable {
    /// The five-character SQLSTATE, when the server sent one.
    let sqlState: String?
    let message: String
    /// Whether the connection was lost (the statement may or may not have run).
    let broken: Bool

    /// Serialization failure (40001) or deadlock (40P01): the transaction may simply be retried.
    var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// The error as the metadata layer reports it.
    var metadataError: MetadataError { broken ? .open("PostgreSQL connection lost: \(message)") : .sql(message) }
}
