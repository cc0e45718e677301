extension SQLMetadataStore {
    static var artifactColumns: [ListingColumn] {
        [
            ListingColumn("digest", "m.digest"),
            ListingColumn("media_type", "m.media_type"),
            ListingColumn("type", "m.artifact_type"),
            ListingColumn("push_time", "m.created_at", .time),
            ListingColumn("pull_time", "p.pulled_at", .time),
            // The size the body reports (manifest plus blobs), so `q=size=[a~b]` and `sort=size` agree with it.
            ListingColumn("size", "(\(artifactSize))", .integer),
            ListingColumn("tags", "t.name", wrapper: """
                EXISTS (SELECT 1 FROM tags t WHERE t.repository = m.repository AND t.digest = m.digest AND {})
                """),
        ]
    }

    static var tagColumns: [ListingColumn] {
        [
            ListingColumn("name", "t.name"),
            ListingColumn("push_time", "t.updated_at", .time),
            ListingColumn("pull_time", "p.pulled_at", .time),
        ]
    }

    /// An artifact's size: its manifest's bytes plus the bytes of the blobs it references.
    static var artifactSize: String {
        """
        m.size + COALESCE((SELECT SUM(b.size) FROM manifest_blobs mb JOIN blobs b ON b.digest = mb.blob_digest
                           WHERE mb.repository = m.repository AND mb.manifest_digest = m.digest), 0)
        """
    }

    /// The artifact columns; the size adds the blobs' sizes to the manifest's.
    static var artifactFields: String {
        """
        SELECT \(dialect.rowID("m", key: "m.repository || '@' || m.digest")), \(dialect.rowID("r", key: "r.name")),
            m.repository, m.digest, m.media_type, m.artifact_type, \(dialect.bigint(artifactSize)),
            m.created_at, p.pulled_at, m.annotations
        """
    }

    static var artifactJoins: String {
        """
        JOIN repositories r ON r.name = m.repository
        LEFT JOIN artifact_pulls p ON p.repository = m.repository AND p.digest = m.digest
        """
    }

    static var artifactSelect: String { "\(artifactFields) FROM manifests m \(artifactJoins)" }

    static var tagSelect: String {
        """
        SELECT \(dialect.rowID("t", key: "t.repository || ':' || t.name")), t.name, t.repository, t.digest,
            t.updated_at, p.pulled_at
        FROM tags t LEFT JOIN artifact_pulls p ON p.repository = t.repository AND p.digest = t.digest
        """
    }

    public func artifactPage(repository: String, query: ListingQuery, withTags: Bool) async throws -> ListingPage<ArtifactListing> {
        var query = query
        var extra = ["m.repository = ?", Self.topLevel]
        let tagExists = "EXISTS (SELECT 1 FROM tags t WHERE t.repository = m.repository AND t.digest = m.digest)"
        query.terms.removeAll { term in
            guard term.key == "tags" else { return false }
            if term.condition == .equals("*") { extra.append(tagExists); return true }
            if term.condition == .equals("nil") { extra.append("NOT " + tagExists); return true }
            return false
        }
        let sql = Self.dialect.listing(try ListingSQL(query, columns: Self.artifactColumns,
                                                      defaultSort: [ListingSort(key: "push_time", descending: true)],
                                                      tiebreak: ["m.digest"]))
        let filter = sql.whereClause(extra)
        let parameters = [SQLValue.text(repository)] + sql.parameters
        let counted = "manifests m LEFT JOIN artifact_pulls p ON p.repository = m.repository AND p.digest = m.digest \(filter)"
        // On SQLite keys of the page first, then sizes and joins for those rows only (see repositoryPage).
        let select = Self.dialect.pagesKeysFirst ? """
            \(Self.artifactFields) FROM (SELECT m.rowid AS k FROM \(counted)
                ORDER BY \(sql.orderBy) LIMIT ? OFFSET ?) page
            JOIN manifests m ON m.rowid = page.k \(Self.artifactJoins)
            ORDER BY \(sql.orderBy)
            """ : "\(Self.artifactSelect) \(filter) ORDER BY \(sql.orderBy) LIMIT ? OFFSET ?"
        return try await read { [query] db in
            var page = try Self.page(db, countFrom: counted, select: select, parameters, query, row: Self.artifactListing)
            for index in page.items.indices {
                page.items[index].references = try Self.children(db, repository, page.items[index].digest)
                if withTags { page.items[index].tags = try Self.tags(db, repository, page.items[index].digest) }
            }
            return page
        }
    }

    public func artifactListing(repository: String, digest: String) async throws -> ArtifactListing? {
        try await read { db in
            guard var artifact = try db.query("\(Self.artifactSelect) WHERE m.repository = ? AND m.digest = ?",
                                              [.text(repository), .text(digest)], row: Self.artifactListing).first else {
                return nil
            }
            artifact.references = try Self.children(db, repository, digest)
            artifact.tags = try Self.tags(db, repository, digest)
            return artifact
        }
    }

    public func digest(repository: String, tag: String) async throws -> String? {
        try await read { db in
            try db.query("SELECT digest FROM tags WHERE repository = ? AND name = ?", [.text(repository), .text(tag)]) {
                $0.text(0) ?? ""
            }.first
        }
    }

    public func tagPage(repository: String, digest: String?, query: ListingQuery) async throws -> ListingPage<TagListing> {
        let sql = Self.dialect.listing(try ListingSQL(query, columns: Self.tagColumns, defaultSort: [ListingSort(key: "name")],
                                                      tiebreak: ["t.name"]))
        var extra = ["t.repository = ?"]
        var parameters = [SQLValue.text(repository)]
        if let digest {
            extra.append("t.digest = ?")
            parameters.append(.text(digest))
        }
        let filter = sql.whereClause(extra)
        parameters += sql.parameters
        return try await read { [parameters] db in
            try Self.page(db, countFrom: """
                tags t LEFT JOIN artifact_pulls p ON p.repository = t.repository AND p.digest = t.digest \(filter)
                """, select: "\(Self.tagSelect) \(filter) ORDER BY \(sql.orderBy) LIMIT ? OFFSET ?", parameters, query,
                row: Self.tagListing)
        }
    }

    public func createTag(repository: String, name: String, digest: String, at time: Int64) async throws -> Bool {
        try await write { db in
            try db.run("""
                INSERT INTO tags (repository, name, digest, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (repository, name) DO NOTHING
                """, [.text(repository), .text(name), .text(digest), .integer(time)]) > 0
        }
    }

    static func children(_ db: DB, _ repository: String, _ digest: String) throws -> [String] {
        try db.query("SELECT child_digest FROM manifest_children WHERE repository = ? AND manifest_digest = ? ORDER BY child_digest",
                     [.text(repository), .text(digest)]) { $0.text(0) ?? "" }
    }

    static func tags(_ db: DB, _ repository: String, _ digest: String) throws -> [TagListing] {
        try db.query("\(tagSelect) WHERE t.repository = ? AND t.digest = ? ORDER BY t.name",
                     [.text(repository), .text(digest)], row: tagListing)
    }

    static func artifactListing<Row: SQLRow>(_ row: Row) throws -> ArtifactListing {
        ArtifactListing(id: row.integer(0), repositoryID: row.integer(1), repository: row.text(2) ?? "",
                        digest: row.text(3) ?? "", mediaType: row.text(4) ?? "", artifactType: row.text(5),
                        size: row.integer(6), pushTime: row.integer(7), pullTime: row.isNull(8) ? nil : row.integer(8),
                        annotationsJSON: row.text(9), references: [], tags: [])
    }

    static func tagListing<Row: SQLRow>(_ row: Row) throws -> TagListing {
        TagListing(id: row.integer(0), name: row.text(1) ?? "", repository: row.text(2) ?? "", digest: row.text(3) ?? "",
                   pushTime: row.integer(4), pullTime: row.isNull(5) ? nil : row.integer(5))
    }
}
