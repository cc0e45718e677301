import BerthCore

extension PostgresMetadataStore {
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
                """, [.integer(cutoff), SQLiteMetadataStore.limit(limit)], row: Self.uploadRecord)
        }
    }

    private static func uploadRecord(_ row: PostgresRow) throws -> UploadRecord {
        guard let id = row.text(0), let name = row.text(1), let repository = RepositoryName(name) else {
            throw MetadataError.corrupt("upload row")
        }
        return UploadRecord(id: id, repository: repository, createdAt: row.integer(2), updatedAt: row.integer(3))
    }
}
