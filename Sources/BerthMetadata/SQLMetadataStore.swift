import BerthCore

/// The `MetadataStore`, `ListingStore` and `AuditStore` queries, written once for
/// `SQLiteMetadataStore` and `PostgresMetadataStore`: each conforms, supplies its transactions
/// (`SQLStoreAccess`), and gets these implementations. Where the SQL differs, `dialect` decides:
/// PostgreSQL looks many digests up with one `= ANY(…)`, has no rowid (hashed ids instead), needs
/// `ILIKE` and casts of BIGINT sums; SQLite selects a page's keys before its costly columns.
protocol SQLMetadataStore: MetadataStore, ListingStore, AuditStore, SQLStoreAccess {}

extension SQLMetadataStore {
    static func digest(_ text: String?) throws -> Digest {
        guard let text, let digest = Digest.parse(text) else { throw MetadataError.corrupt("digest \(text ?? "NULL")") }
        return digest
    }

    static func ensureRepository(_ db: DB, _ repository: RepositoryName) throws {
        try db.run("INSERT INTO repositories (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                   [.text(repository.value), .integer(SQLiteMetadataStore.now())])
    }

    /// A bound for `LIMIT` meaning "no limit", valid on SQLite and PostgreSQL.
    static func limit(_ limit: Int?) -> SQLValue { .integer(limit.map { Int64(max(0, $0)) } ?? Int64.max) }

    /// The `digests` without a row in `table` (keyed by repository and digest), in their order: one
    /// round trip on PostgreSQL, one indexed lookup per digest on SQLite (no round trips there).
    static func missing(_ db: DB, table: String, repository: RepositoryName, digests: [Digest]) throws -> [Digest] {
        guard !digests.isEmpty else { return [] }
        switch dialect {
        case .postgres:
            let present = try Set(db.query("SELECT digest FROM \(table) WHERE repository = ? AND digest = ANY(?::text[])", [
                .text(repository.value), .text(PostgresMetadataStore.textArray(digests.map(\.description))),
            ]) { $0.text(0) ?? "" })
            return digests.filter { !present.contains($0.description) }
        case .sqlite:
            return try digests.filter { digest in
                try !db.exists("SELECT 1 FROM \(table) WHERE repository = ? AND digest = ?",
                               [.text(repository.value), .text(digest.description)])
            }
        }
    }

    /// One page of a list: the count of rows `FROM from` (which ends in its `WHERE`) and the rows that
    /// `select` (ending in `LIMIT ? OFFSET ?`, bound from `query`) returns, with the same parameters.
    static func page<Item>(_ db: DB, countFrom from: String, select: String, _ parameters: [SQLValue],
                           _ query: ListingQuery, row: (DB.Row) throws -> Item) throws -> ListingPage<Item> {
        let total = try db.integer("SELECT COUNT(*) FROM \(from)", parameters) ?? 0
        let items = try db.query(select, parameters + [.integer(Int64(query.limit)), .integer(Int64(query.offset))],
                                 row: row)
        return ListingPage(items: items, total: Int(total))
    }

    // MARK: Repositories

    public func repositoryExists(_ repository: RepositoryName) async throws -> Bool {
        try await read { db in try db.exists("SELECT 1 FROM repositories WHERE name = ?", [.text(repository.value)]) }
    }

    public func createRepository(_ repository: RepositoryName) async throws {
        try await write { db in try Self.ensureRepository(db, repository) }
    }

    public func repositories(after: String?, limit: Int?) async throws -> [String] {
        try await read { db in
            try db.query("SELECT name FROM repositories WHERE name > ? ORDER BY name LIMIT ?",
                         [.text(after ?? ""), Self.limit(limit)]) { $0.text(0) ?? "" }
        }
    }

    // MARK: Uploads

    public func createUpload(_ upload: UploadRecord) async throws {
        try await write { db in
            try Self.ensureRepository(db, upload.repository)
            try db.run("INSERT INTO uploads (id, repository, created_at, updated_at) VALUES (?, ?, ?, ?)",
                       [.text(upload.id), .text(upload.repository.value),
                        .integer(upload.createdAt), .integer(upload.updatedAt)])
        }
    }

    public func upload(id: String) async throws -> UploadRecord? {
        try await read { db in
            try db.query("SELECT id, repository, created_at, updated_at FROM uploads WHERE id = ?",
                         [.text(id)], row: Self.uploadRecord).first
        }
    }

    public func touchUpload(id: String, at time: Int64) async throws {
        try await write { db in
            try db.run("UPDATE uploads SET updated_at = ? WHERE id = ?", [.integer(time), .text(id)])
        }
    }

    public func deleteUpload(id: String) async throws {
        try await write { db in try db.run("DELETE FROM uploads WHERE id = ?", [.text(id)]) }
    }

    public func uploads(updatedAtOrBefore cutoff: Int64, limit: Int) async throws -> [UploadRecord] {
        try await read { db in
            try db.query("""
                SELECT id, repository, created_at, updated_at FROM uploads
                WHERE updated_at <= ? ORDER BY updated_at, id LIMIT ?
                """, [.integer(cutoff), Self.limit(limit)], row: Self.uploadRecord)
        }
    }

    private static func uploadRecord<Row: SQLRow>(_ row: Row) throws -> UploadRecord {
        guard let id = row.text(0), let name = row.text(1), let repository = RepositoryName(name) else {
            throw MetadataError.corrupt("upload row")
        }
        return UploadRecord(id: id, repository: repository, createdAt: row.integer(2), updatedAt: row.integer(3))
    }
}
