extension SQLMetadataStore {
    /// A top-level artifact: not the child of an index and not a referrer (an "accessory" in Harbor).
    static var topLevel: String {
        """
        m.subject IS NULL AND NOT EXISTS (SELECT 1 FROM manifest_children c
            WHERE c.repository = m.repository AND c.child_digest = m.digest)
        """
    }

    static var repositoryColumns: [ListingColumn] {
        [
            ListingColumn("name", "r.name"),
            ListingColumn("creation_time", "r.created_at", .time),
            ListingColumn("update_time", "COALESCE((SELECT MAX(u.created_at) FROM manifests u WHERE u.repository = r.name), r.created_at)", .time),
            ListingColumn("pull_count", "COALESCE(d.pull_count, 0)", .integer),
        ]
    }

    static var repositoryFrom: String { "repositories r LEFT JOIN repository_details d ON d.name = r.name" }

    static var repositoryFields: String {
        """
        SELECT \(dialect.rowID("r", key: "r.name")), r.name, COALESCE(d.description, ''), COALESCE(d.pull_count, 0),
            r.created_at, (SELECT COUNT(*) FROM manifests m WHERE m.repository = r.name AND \(topLevel)),
            COALESCE((SELECT MAX(u.created_at) FROM manifests u WHERE u.repository = r.name), r.created_at)
        """
    }

    static var repositorySelect: String { "\(repositoryFields) FROM \(repositoryFrom)" }

    /// The key range `[namespace/, namespace0)` holding exactly the names under `namespace/`.
    static func namespaceRange(_ namespace: String) -> (SQLValue, SQLValue) {
        (.text(namespace + "/"), .text(namespace + "0"))
    }

    public func repositoryPage(namespace: String, query: ListingQuery) async throws -> ListingPage<RepositoryListing> {
        let sql = Self.dialect.listing(try ListingSQL(query, columns: Self.repositoryColumns,
                                                      defaultSort: [ListingSort(key: "name")], tiebreak: ["r.name"]))
        let (low, high) = Self.namespaceRange(namespace)
        let filter = sql.whereClause(["r.name >= ?", "r.name < ?"])
        let parameters = [low, high] + sql.parameters
        // On SQLite the page's keys first (cheap), then the per-row counts for those rows only.
        let select = Self.dialect.pagesKeysFirst ? """
            \(Self.repositoryFields) FROM (SELECT r.name AS k FROM \(Self.repositoryFrom) \(filter)
                ORDER BY \(sql.orderBy) LIMIT ? OFFSET ?) page
            JOIN repositories r ON r.name = page.k LEFT JOIN repository_details d ON d.name = r.name
            ORDER BY \(sql.orderBy)
            """ : "\(Self.repositorySelect) \(filter) ORDER BY \(sql.orderBy) LIMIT ? OFFSET ?"
        return try await read { db in
            try Self.page(db, countFrom: "\(Self.repositoryFrom) \(filter)", select: select, parameters, query,
                          row: Self.repositoryListing)
        }
    }

    public func repositoryListing(_ name: String) async throws -> RepositoryListing? {
        try await read { db in
            try db.query("\(Self.repositorySelect) WHERE r.name = ?", [.text(name)], row: Self.repositoryListing).first
        }
    }

    public func searchRepositories(containing text: String, namespaces: [String]?, limit: Int) async throws -> [RepositoryListing] {
        if let namespaces, namespaces.isEmpty { return [] }
        var predicates = ["r.name \(Self.dialect.caseInsensitiveLike) ? ESCAPE '\\'"]
        var parameters: [SQLValue] = [.text("%" + ListingSQL.escapeLike(text) + "%")]
        if let namespaces {
            predicates.append("(" + namespaces.map { _ in "(r.name >= ? AND r.name < ?)" }.joined(separator: " OR ") + ")")
            for namespace in namespaces {
                let (low, high) = Self.namespaceRange(namespace)
                parameters += [low, high]
            }
        }
        let filter = "WHERE " + predicates.joined(separator: " AND ")
        return try await read { [parameters] db in
            try db.query("\(Self.repositorySelect) \(filter) ORDER BY r.name LIMIT ?",
                         parameters + [.integer(Int64(limit))], row: Self.repositoryListing)
        }
    }

    public func repositoryCount(namespace: String?) async throws -> Int {
        try await read { db in
            if let namespace {
                let (low, high) = Self.namespaceRange(namespace)
                return try db.query("SELECT COUNT(*) FROM repositories WHERE name >= ? AND name < ?", [low, high]) {
                    Int($0.integer(0))
                }.first ?? 0
            }
            return try db.query("SELECT COUNT(*) FROM repositories", []) { Int($0.integer(0)) }.first ?? 0
        }
    }

    public func storageBytes(namespace: String?) async throws -> Int64 {
        let (low, high) = namespace.map(Self.namespaceRange) ?? (.text(""), .null)
        let bound = namespace == nil ? "" : "AND rb.repository < ?"
        let manifestBound = namespace == nil ? "" : "AND repository < ?"
        let parameters = namespace == nil ? [low, low] : [low, high, low, high]
        return try await read { db in
            try db.query("""
                SELECT \(Self.dialect.bigint("""
                    COALESCE((SELECT SUM(b.size) FROM blobs b WHERE b.digest IN
                        (SELECT rb.digest FROM repository_blobs rb WHERE rb.repository >= ? \(bound))), 0)
                      + COALESCE((SELECT SUM(size) FROM manifests WHERE repository >= ? \(manifestBound)), 0)
                    """))
                """, parameters) { $0.integer(0) }.first ?? 0
        }
    }

    public func setRepositoryDescription(_ name: String, _ description: String) async throws -> Bool {
        try await write { db in
            guard try !db.query("SELECT 1 FROM repositories WHERE name = ?", [.text(name)], row: { _ in true }).isEmpty else {
                return false
            }
            try db.run("""
                INSERT INTO repository_details (name, description) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET description = excluded.description
                """, [.text(name), .text(description)])
            return true
        }
    }

    public func deleteRepository(_ name: String) async throws -> Bool {
        try await write { db in
            let repository = SQLValue.text(name)
            try db.run("DELETE FROM tags WHERE repository = ?", [repository])
            try db.run("DELETE FROM manifest_children WHERE repository = ?", [repository])
            try db.run("DELETE FROM manifest_blobs WHERE repository = ?", [repository])
            try db.run("DELETE FROM manifests WHERE repository = ?", [repository])
            try db.run("DELETE FROM artifact_pulls WHERE repository = ?", [repository])
            try db.run("DELETE FROM repository_details WHERE name = ?", [repository])
            try db.run("DELETE FROM uploads WHERE repository = ?", [repository])
            try db.run("DELETE FROM repository_blobs WHERE repository = ?", [repository])
            return try db.run("DELETE FROM repositories WHERE name = ?", [repository]) > 0
        }
    }

    public func recordPull(repository: String, digest: String, at time: Int64) async throws {
        try await write { db in
            try db.run("""
                INSERT INTO artifact_pulls (repository, digest, pulled_at) VALUES (?, ?, ?)
                ON CONFLICT (repository, digest) DO UPDATE SET pulled_at = excluded.pulled_at
                """, [.text(repository), .text(digest), .integer(time)])
            try db.run("""
                INSERT INTO repository_details (name, pull_count) VALUES (?, 1)
                ON CONFLICT (name) DO UPDATE SET pull_count = repository_details.pull_count + 1
                """, [.text(repository)])
        }
    }

    static func repositoryListing<Row: SQLRow>(_ row: Row) throws -> RepositoryListing {
        RepositoryListing(id: row.integer(0), name: row.text(1) ?? "", description: row.text(2) ?? "",
                          artifactCount: Int(row.integer(5)), pullCount: row.integer(3), createdAt: row.integer(4),
                          updatedAt: row.integer(6))
    }
}
