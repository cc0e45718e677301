import BerthCore

extension SQLMetadataStore {
    public func putManifest(_ manifest: ManifestRecord, tag: String?, requiredBlobs: [Digest]) async throws -> ManifestPutOutcome {
        try await write { db in
            let repository = SQLValue.text(manifest.repository.value)
            let digest = SQLValue.text(manifest.digest.description)
            if let blob = try Self.missing(db, table: "repository_blobs", repository: manifest.repository,
                                           digests: requiredBlobs).first {
                return .missingBlob(blob)
            }
            if let child = try Self.missing(db, table: "manifests", repository: manifest.repository,
                                            digests: manifest.children).first {
                return .missingManifest(child)
            }
            try Self.ensureRepository(db, manifest.repository)
            let inserted = try db.run("""
                INSERT INTO manifests (repository, digest, media_type, artifact_type, size, subject, annotations,
                                       content, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (repository, digest) DO NOTHING
                """, [repository, digest, .text(manifest.mediaType), manifest.artifactType.map(SQLValue.text) ?? .null,
                      .integer(manifest.size), manifest.subject.map { .text($0.description) } ?? .null,
                      manifest.annotationsJSON.map(SQLValue.text) ?? .null, .bytes(manifest.bytes),
                      .integer(manifest.createdAt)])
            if inserted > 0 {
                for blob in Set(manifest.blobs) {
                    try db.run("INSERT INTO manifest_blobs (repository, manifest_digest, blob_digest) VALUES (?, ?, ?)",
                               [repository, digest, .text(blob.description)])
                }
                for child in Set(manifest.children) {
                    try db.run("INSERT INTO manifest_children (repository, manifest_digest, child_digest) VALUES (?, ?, ?)",
                               [repository, digest, .text(child.description)])
                }
            }
            if let tag {
                try db.run("""
                    INSERT INTO tags (repository, name, digest, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (repository, name) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at
                    """, [repository, .text(tag), digest, .integer(SQLiteMetadataStore.now())])
            }
            return .stored
        }
    }

    public func manifest(_ repository: RepositoryName, digest: Digest) async throws -> ManifestContent? {
        try await read { db in
            try db.query("SELECT media_type, content FROM manifests WHERE repository = ? AND digest = ?",
                         [.text(repository.value), .text(digest.description)]) { row in
                ManifestContent(digest: digest, mediaType: row.text(0) ?? "", bytes: row.bytes(1))
            }.first
        }
    }

    public func manifest(_ repository: RepositoryName, tag: String) async throws -> ManifestContent? {
        try await read { db in
            try db.query("""
                SELECT m.digest, m.media_type, m.content FROM tags t
                JOIN manifests m ON m.repository = t.repository AND m.digest = t.digest
                WHERE t.repository = ? AND t.name = ?
                """, [.text(repository.value), .text(tag)]) { row in
                ManifestContent(digest: try Self.digest(row.text(0)), mediaType: row.text(1) ?? "", bytes: row.bytes(2))
            }.first
        }
    }

    public func missingManifests(_ digests: [Digest], in repository: RepositoryName) async throws -> [Digest] {
        if digests.isEmpty { return [] }
        return try await read { db in
            try Self.missing(db, table: "manifests", repository: repository, digests: digests)
        }
    }

    public func deleteManifest(_ repository: RepositoryName, digest: Digest) async throws -> Bool {
        try await write { db in
            try db.run("DELETE FROM manifests WHERE repository = ? AND digest = ?",
                       [.text(repository.value), .text(digest.description)]) > 0
        }
    }

    public func deleteTag(_ repository: RepositoryName, tag: String) async throws -> Bool {
        try await write { db in
            try db.run("DELETE FROM tags WHERE repository = ? AND name = ?", [.text(repository.value), .text(tag)]) > 0
        }
    }

    public func tags(_ repository: RepositoryName, after: String?, limit: Int?) async throws -> [String] {
        try await read { db in
            try db.query("SELECT name FROM tags WHERE repository = ? AND name > ? ORDER BY name LIMIT ?",
                         [.text(repository.value), .text(after ?? ""), Self.limit(limit)]) { $0.text(0) ?? "" }
        }
    }

    public func referrers(_ repository: RepositoryName, subject: Digest, artifactType: String?) async throws -> [ReferrerRecord] {
        try await read { db in
            var sql = """
                SELECT digest, media_type, size, artifact_type, annotations FROM manifests
                WHERE repository = ? AND subject = ?
                """
            var parameters: [SQLValue] = [.text(repository.value), .text(subject.description)]
            if let artifactType {
                sql += " AND artifact_type = ?"
                parameters.append(.text(artifactType))
            }
            return try db.query(sql + " ORDER BY digest", parameters) { row in
                ReferrerRecord(digest: try Self.digest(row.text(0)), mediaType: row.text(1) ?? "", size: row.integer(2),
                               artifactType: row.isNull(3) ? nil : row.text(3),
                               annotationsJSON: row.isNull(4) ? nil : row.text(4))
            }
        }
    }
}
