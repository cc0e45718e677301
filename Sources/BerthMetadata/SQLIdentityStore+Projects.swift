extension SQLIdentityStore {
    static var projectColumns: String { "id, name, owner_id, storage_limit, created_at, updated_at" }

    static func projectRow<Row: SQLRow>(_ row: Row) throws -> ProjectRecord {
        ProjectRecord(id: row.integer(0), name: row.text(1) ?? "", ownerID: row.integer(2), storageLimit: row.integer(3),
                      createdAt: row.integer(4), updatedAt: row.integer(5))
    }

    /// Loads the metadata of the given projects into them.
    static func withMetadata(_ db: DB, _ projects: [ProjectRecord]) throws -> [ProjectRecord] {
        try projects.map { project in
            var project = project
            for (name, value) in try db.query("SELECT name, value FROM project_metadata WHERE project_id = ?",
                                              [.integer(project.id)], row: { ($0.text(0) ?? "", $0.text(1) ?? "") }) {
                project.metadata[name] = value
            }
            return project
        }
    }

    static func writeMetadata(_ db: DB, _ projectID: Int64, _ values: [String: String]) throws {
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            try db.run("""
                INSERT INTO project_metadata (project_id, name, value) VALUES (?, ?, ?)
                ON CONFLICT (project_id, name) DO UPDATE SET value = excluded.value
                """, [.integer(projectID), .text(name), .text(value)])
        }
    }

    public func createProject(_ project: ProjectRecord) async throws -> ProjectRecord {
        try await write { db in
            if try db.exists("SELECT 1 FROM projects WHERE name = ?", [.text(project.name)]) {
                throw IdentityStoreError.conflict("project \(project.name) already exists")
            }
            var stored = project
            stored.id = try Self.nextID(db, "projects")
            stored.createdAt = Self.now()
            stored.updatedAt = stored.createdAt
            try db.run("INSERT INTO projects (\(Self.projectColumns)) VALUES (?, ?, ?, ?, ?, ?)", [
                .integer(stored.id), .text(stored.name), .integer(stored.ownerID), .integer(stored.storageLimit),
                .integer(stored.createdAt), .integer(stored.updatedAt),
            ])
            try Self.writeMetadata(db, stored.id, stored.metadata)
            return stored
        }
    }

    public func project(id: Int64) async throws -> ProjectRecord? {
        try await read { db in
            try Self.withMetadata(db, db.query("SELECT \(Self.projectColumns) FROM projects WHERE id = ?",
                                               [.integer(id)], row: Self.projectRow)).first
        }
    }

    public func project(named name: String) async throws -> ProjectRecord? {
        try await read { db in
            try Self.withMetadata(db, db.query("SELECT \(Self.projectColumns) FROM projects WHERE name = ?",
                                               [.text(name)], row: Self.projectRow)).first
        }
    }

    static var publicFilter: String {
        """
        (? = 0 OR EXISTS (SELECT 1 FROM project_metadata m WHERE m.project_id = projects.id
            AND m.name = 'public' AND m.value = 'true'))
        """
    }

    public func projects(matching: String?, publicOnly: Bool, offset: Int, limit: Int) async throws -> [ProjectRecord] {
        try await read { db in
            try Self.withMetadata(db, db.query("""
                SELECT \(Self.projectColumns) FROM projects WHERE name \(Self.likeOperator) ? ESCAPE '\\'
                AND \(Self.publicFilter) ORDER BY \(Self.dialect.byteOrdered("name")) LIMIT ? OFFSET ?
                """, [Self.like(matching), Self.flag(publicOnly)] + Self.window(offset: offset, limit: limit),
                row: Self.projectRow))
        }
    }

    public func projectCount(matching: String?, publicOnly: Bool) async throws -> Int {
        try await read { db in
            Int(try db.integer("""
                SELECT COUNT(*) FROM projects WHERE name \(Self.likeOperator) ? ESCAPE '\\' AND \(Self.publicFilter)
                """, [Self.like(matching), Self.flag(publicOnly)]) ?? 0)
        }
    }

    public func setProjectMetadata(projectID: Int64, _ values: [String: String]) async throws {
        try await write { db in
            try Self.writeMetadata(db, projectID, values)
            try db.run("UPDATE projects SET updated_at = ? WHERE id = ?", [.integer(Self.now()), .integer(projectID)])
        }
    }

    public func deleteProjectMetadata(projectID: Int64, key: String) async throws {
        try await write { db in
            try db.run("DELETE FROM project_metadata WHERE project_id = ? AND name = ?", [.integer(projectID), .text(key)])
        }
    }

    public func setStorageLimit(projectID: Int64, bytes: Int64) async throws {
        try await write { db in
            try db.run("UPDATE projects SET storage_limit = ?, updated_at = ? WHERE id = ?",
                       [.integer(bytes), .integer(Self.now()), .integer(projectID)])
        }
    }

    public func deleteProject(id: Int64) async throws -> Bool {
        try await write { db in try db.run("DELETE FROM projects WHERE id = ?", [.integer(id)]) > 0 }
    }

    // MARK: Members

    static var memberColumns: String { "id, project_id, entity_id, entity_type, role, created_at, updated_at" }

    static func memberRow<Row: SQLRow>(_ row: Row) throws -> MemberRecord {
        MemberRecord(id: row.integer(0), projectID: row.integer(1), entityID: row.integer(2),
                     entityType: row.text(3) ?? "u", role: Int(row.integer(4)), createdAt: row.integer(5),
                     updatedAt: row.integer(6))
    }

    public func addMember(_ member: MemberRecord) async throws -> MemberRecord {
        try await write { db in
            if try db.exists("SELECT 1 FROM project_members WHERE project_id = ? AND entity_type = ? AND entity_id = ?",
                             [.integer(member.projectID), .text(member.entityType), .integer(member.entityID)]) {
                throw IdentityStoreError.conflict("already a member")
            }
            var stored = member
            stored.id = try Self.nextID(db, "project_members")
            stored.createdAt = Self.now()
            stored.updatedAt = stored.createdAt
            try db.run("INSERT INTO project_members (\(Self.memberColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)", [
                .integer(stored.id), .integer(stored.projectID), .integer(stored.entityID), .text(stored.entityType),
                .integer(Int64(stored.role)), .integer(stored.createdAt), .integer(stored.updatedAt),
            ])
            return stored
        }
    }

    public func member(id: Int64) async throws -> MemberRecord? {
        try await read { db in
            try db.query("SELECT \(Self.memberColumns) FROM project_members WHERE id = ?", [.integer(id)],
                         row: Self.memberRow).first
        }
    }

    public func member(projectID: Int64, userID: Int64) async throws -> MemberRecord? {
        try await read { db in
            try db.query("""
                SELECT \(Self.memberColumns) FROM project_members WHERE project_id = ? AND entity_type = 'u' AND entity_id = ?
                """, [.integer(projectID), .integer(userID)], row: Self.memberRow).first
        }
    }

    public func members(projectID: Int64) async throws -> [MemberRecord] {
        try await read { db in
            try db.query("SELECT \(Self.memberColumns) FROM project_members WHERE project_id = ? ORDER BY id",
                         [.integer(projectID)], row: Self.memberRow)
        }
    }

    public func memberships(userID: Int64) async throws -> [MemberRecord] {
        try await read { db in
            try db.query("""
                SELECT \(Self.memberColumns) FROM project_members WHERE entity_type = 'u' AND entity_id = ? ORDER BY id
                """, [.integer(userID)], row: Self.memberRow)
        }
    }

    public func updateMemberRole(id: Int64, role: Int) async throws -> Bool {
        try await write { db in
            try db.run("UPDATE project_members SET role = ?, updated_at = ? WHERE id = ?",
                       [.integer(Int64(role)), .integer(Self.now()), .integer(id)]) > 0
        }
    }

    public func removeMember(id: Int64) async throws -> Bool {
        try await write { db in try db.run("DELETE FROM project_members WHERE id = ?", [.integer(id)]) > 0 }
    }
}
