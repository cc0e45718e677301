import BerthCore

extension PostgresMetadataStore {
    public func addBlob(_ digest: Digest, size: Int64, to repository: RepositoryName) async throws {
        try await write { db in
            let now = SQLiteMetadataStore.now()
            try Self.ensureRepository(db, repository)
            try db.run("INSERT INTO blobs (digest, size, created_at) VALUES (?, ?, ?) ON CONFLICT (digest) DO NOTHING",
                       [.text(digest.description), .integer(size), .integer(now)])
            try Self.link(db, digest, repository, now)
        }
    }

    public func mountBlob(_ digest: Digest, into repository: RepositoryName, from source: RepositoryName?) async throws -> Bool {
        try await write { db in
            let found: Bool
            if let source {
                found = try !db.query("SELECT 1 FROM repository_blobs WHERE repository = ? AND digest = ?",
                                      [.text(source.value), .text(digest.description)]) { _ in true }.isEmpty
            } else {
                found = try !db.query("SELECT 1 FROM repository_blobs WHERE digest = ? LIMIT 1",
                                      [.text(digest.description)]) { _ in true }.isEmpty
            }
            guard found else { return false }
            try Self.ensureRepository(db, repository)
            try Self.link(db, digest, repository, SQLiteMetadataStore.now())
            return true
        }
    }

    public func blobSize(_ digest: Digest, in repository: RepositoryName) async throws -> Int64? {
        try await read { db in
            try db.query("""
                SELECT b.size FROM repository_blobs l JOIN blobs b ON b.digest = l.digest
                WHERE l.repository = ? AND l.digest = ?
                """, [.text(repository.value), .text(digest.description)]) { $0.integer(0) }.first
        }
    }

    public func unlinkBlob(_ digest: Digest, from repository: RepositoryName) async throws -> Bool {
        try await write { db in
            try db.run("DELETE FROM repository_blobs WHERE repository = ? AND digest = ?",
                       [.text(repository.value), .text(digest.description)]) > 0
        }
    }

    public func missingBlobs(_ digests: [Digest], in repository: RepositoryName) async throws -> [Digest] {
        if digests.isEmpty { return [] }
        return try await read { db in
            let present = try Self.present(db, table: "repository_blobs", repository: repository, digests: digests)
            return digests.filter { !present.contains($0.description) }
        }
    }

    /// Which of `digests` have a row in `table` (keyed by repository and digest), in one round trip.
    static func present(_ db: PostgresConnection, table: String, repository: RepositoryName,
                        digests: [Digest]) throws -> Set<String> {
        try Set(db.query("SELECT digest FROM \(table) WHERE repository = ? AND digest = ANY(?::text[])",
                         [.text(repository.value), .text(textArray(digests.map(\.description)))]) { $0.text(0) ?? "" })
    }

    /// A PostgreSQL array literal of quoted text elements.
    static func textArray(_ values: [String]) -> String {
        let elements = values.map { value in
            "\"" + value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }
        return "{" + elements.joined(separator: ",") + "}"
    }

    private static func link(_ db: PostgresConnection, _ digest: Digest, _ repository: RepositoryName, _ now: Int64) throws {
        try db.run("""
            INSERT INTO repository_blobs (repository, digest, created_at) VALUES (?, ?, ?)
            ON CONFLICT (repository, digest) DO NOTHING
            """, [.text(repository.value), .text(digest.description), .integer(now)])
    }
}
