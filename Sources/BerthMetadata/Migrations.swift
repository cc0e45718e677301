/// The SQL dialects the schema is written for. The statements are the same except for the name of the
/// binary column type.
public enum SQLDialect: Sendable {
    case sqlite, postgres

    /// The column type for raw bytes.
    var bytesType: String { self == .sqlite ? "BLOB" : "BYTEA" }

    /// The column type for text keys: byte-wise ordering on both (SQLite's default; PostgreSQL needs the
    /// "C" collation, whatever the database's default), so keyset paging is stable and index-backed.
    var textType: String { self == .sqlite ? "TEXT" : "TEXT COLLATE \"C\"" }
}

/// Numbered schema migrations, applied in order and recorded in `schema_migrations`.
///
/// Keys are natural (repository name, digest) so that the same statements work on SQLite and
/// PostgreSQL without auto-increment columns. Text comparison must be byte-wise (SQLite's default;
/// PostgreSQL databases should use the "C" collation) so keyset paging is stable.
public enum Migrations {
    /// One migration: its version and its statements.
    public struct Migration: Sendable {
        public let version: Int
        public let statements: [String]
    }

    /// The statement that creates the bookkeeping table.
    public static let bookkeeping = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            applied_at BIGINT NOT NULL
        )
        """

    /// All migrations for a dialect, ascending by version.
    public static func all(for dialect: SQLDialect) -> [Migration] {
        [
            Migration(version: 1, statements: registryTables(bytes: dialect.bytesType, text: dialect.textType)),
            Migration(version: 2, statements: IdentitySchema.tables),
            Migration(version: 3, statements: ListingSchema.statements(for: dialect)),
            Migration(version: 4, statements: JobSchema.statements(for: dialect)),
            Migration(version: 5, statements: ScanQueries.tables),
            Migration(version: 6, statements: ScanQueries.summaryColumns),
        ]
    }

    private static func registryTables(bytes: String, text: String) -> [String] {
        [
            """
            CREATE TABLE repositories (
                name \(text) PRIMARY KEY,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE blobs (
                digest \(text) PRIMARY KEY,
                size BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE repository_blobs (
                repository \(text) NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
                digest \(text) NOT NULL REFERENCES blobs(digest),
                created_at BIGINT NOT NULL,
                PRIMARY KEY (repository, digest)
            )
            """,
            "CREATE INDEX repository_blobs_by_digest ON repository_blobs(digest)",
            """
            CREATE TABLE manifests (
                repository \(text) NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
                digest \(text) NOT NULL,
                media_type \(text) NOT NULL,
                artifact_type \(text),
                size BIGINT NOT NULL,
                subject \(text),
                annotations \(text),
                content \(bytes) NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (repository, digest)
            )
            """,
            "CREATE INDEX manifests_by_subject ON manifests(repository, subject)",
            """
            CREATE TABLE manifest_blobs (
                repository \(text) NOT NULL,
                manifest_digest \(text) NOT NULL,
                blob_digest \(text) NOT NULL,
                PRIMARY KEY (repository, manifest_digest, blob_digest),
                FOREIGN KEY (repository, manifest_digest) REFERENCES manifests(repository, digest) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX manifest_blobs_by_blob ON manifest_blobs(blob_digest)",
            """
            CREATE TABLE manifest_children (
                repository \(text) NOT NULL,
                manifest_digest \(text) NOT NULL,
                child_digest \(text) NOT NULL,
                PRIMARY KEY (repository, manifest_digest, child_digest),
                FOREIGN KEY (repository, manifest_digest) REFERENCES manifests(repository, digest) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX manifest_children_by_child ON manifest_children(repository, child_digest)",
            """
            CREATE TABLE tags (
                repository \(text) NOT NULL,
                name \(text) NOT NULL,
                digest \(text) NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (repository, name),
                FOREIGN KEY (repository, digest) REFERENCES manifests(repository, digest) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX tags_by_manifest ON tags(repository, digest)",
            """
            CREATE TABLE uploads (
                id \(text) PRIMARY KEY,
                repository \(text) NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX uploads_by_update ON uploads(updated_at)",
        ]
    }
}
