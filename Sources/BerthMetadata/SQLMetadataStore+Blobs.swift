import BerthCore

extension SQLMetadataStore {
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
                found = try db.exists("SELECT 1 FROM repository_blobs WHERE repository = ? AND digest = ?",
                                      [.text(source.value), .text(digest.description)])
            } else {
                found = try db.exists("SELECT 1 FROM repository_blobs WHERE digest = ? LIMIT 1", [.text(digest.description)])
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
            try Self.missing(db, table: "repository_blobs", repository: repository, digests: digests)
        }
    }

    private static func link(_ db: DB, _ digest: Digest, _ repository: RepositoryName, _ now: Int64) throws {
        try db.run("""
            INSERT INTO repository_blobs (repository, digest, created_at) VALUES (?, ?, ?)
            ON CONFLICT (repository, digest) DO NOTHING
            """, [.text(repository.value), .text(digest.description), .integer(now)])
    }
}
