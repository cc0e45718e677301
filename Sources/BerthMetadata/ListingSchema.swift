extension SQLDialect {
    /// An auto-numbered 64-bit primary key column.
    var serialKey: String { self == .sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY" }
}

/// The tables and indexes the Harbor API's lists and the audit log need (one migration).
enum ListingSchema {
    static func statements(for dialect: SQLDialect) -> [String] {
        [
            "CREATE INDEX manifests_by_push ON manifests(repository, created_at)",
            // Covers the top-level artifact count (subject IS NULL, then the children probe by digest).
            "CREATE INDEX manifests_top_level ON manifests(repository, subject, digest)",
            """
            CREATE TABLE repository_details (
                name TEXT PRIMARY KEY,
                description TEXT NOT NULL DEFAULT '',
                pull_count BIGINT NOT NULL DEFAULT 0
            )
            """,
            """
            CREATE TABLE artifact_pulls (
                repository TEXT NOT NULL,
                digest TEXT NOT NULL,
                pulled_at BIGINT NOT NULL,
                PRIMARY KEY (repository, digest)
            )
            """,
            """
            CREATE TABLE audit_logs (
                id \(dialect.serialKey),
                project TEXT,
                username TEXT NOT NULL,
                resource TEXT NOT NULL,
                resource_type TEXT NOT NULL,
                operation TEXT NOT NULL,
                remote_address TEXT NOT NULL DEFAULT '',
                op_time BIGINT NOT NULL
            )
            """,
            "CREATE INDEX audit_logs_by_time ON audit_logs(op_time)",
            "CREATE INDEX audit_logs_by_project ON audit_logs(project, op_time)",
        ]
    }
}
