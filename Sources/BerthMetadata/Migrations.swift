/// The SQL dialects the schema is written for. The statements are the same except for the name of the
/// binary column type.
public enum SQLDialect: Sendable {
    case sqlite, postgres

    /// The column type for raw bytes.
    var bytesType: String { self == .sqlite ? "BLOB" : "BYTEA" }
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
            Migration(version: 1, statements: registryTables(bytes: dialect.bytesType)),
        ]
    }

    private static func registryTables(bytes: String) -> [String] {
        [
            """
            CREATE TABLE repositories (
                name TEXT PRIMARY KEY,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE blobs (
                digest TEXT PRIMARY KEY,
                size BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE repository_blobs (
                repository TEXT NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
                digest TEXT NOT NULL REFERENCES blobs(digest),
                created_at BIGINT NOT NULL,
                PRIMARY KEY (repository, digest)
            )
            """,
            "CREATE INDEX repository_blobs_by_digest ON repository_blobs(digest)",
            """
            CREATE TABLE manifests (
                repository TEXT NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
                digest TEXT NOT NULL,
                media_type TEXT NOT NULL,
                artifact_type TEXT,
                size BIGINT NOT NULL,
                subject TEXT,
                annotations TEXT,
                content \(bytes) NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (repository, digest)
            )
            """,
            "CREATE INDEX manifests_by_subject ON manifests(repository, subject)",
            """
            CREATE TABLE manifest_blobs (
                repository TEXT NOT NULL,
                manifest_digest TEXT NOT NULL,
                blob_digest TEXT NOT NULL,
                PRIMARY KEY (repository, manifest_digest, blob_digest),
                FOREIGN KEY (repository, manifest_digest) REFERENCES manifests(repository, digest) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX manifest_blobs_by_blob ON manifest_blobs(blob_digest)",
            """
            CREATE TABLE manifest_children (
                repository TEXT NOT NULL,
                manifest_digest TEXT NOT NULL,
                child_digest TEXT NOT NULL,
                PRIMARY KEY (repository, manifest_digest, child_digest),
                FOREIGN KEY (repository, manifest_digest) REFERENCES manifests(repository, digest) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX manifest_children_by_child ON manifest_children(repository, child_digest)",
            """
            CREATE TABLE tags (
                repository TEXT NOT NULL,
                name TEXT NOT NULL,
                digest TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (repository, name),
                FOREIGN KEY (repository, digest) REFERENCES manifests(repository, digest) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX tags_by_manifest ON tags(repository, digest)",
            """
            CREATE TABLE uploads (
                id TEXT PRIMARY KEY,
                repository TEXT NOT NULL REFERENCES repositories(name) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX uploads_by_update ON uploads(updated_at)",
        ]
    }
}
