extension SQLIdentityStore {
    static var robotColumns: String {
        """
        id, name, description, secret_hash, level, project_id, duration_days, expires_at, disabled, creator,
        created_at, updated_at
        """
    }

    static func robotRow<Row: SQLRow>(_ row: Row) throws -> RobotRecord {
        RobotRecord(id: row.integer(0), name: row.text(1) ?? "", description: row.text(2) ?? "",
                    secretHash: row.text(3) ?? "", level: row.text(4) ?? "project",
                    projectID: row.isNull(5) ? nil : row.integer(5), durationDays: row.integer(6),
                    expiresAt: row.integer(7), isDisabled: row.integer(8) != 0, creator: row.text(9) ?? "",
                    createdAt: row.integer(10), updatedAt: row.integer(11))
    }

    /// Loads each robot's permissions, grouped by (kind, namespace) in first-seen order.
    static func withPermissions(_ db: DB, _ robots: [RobotRecord]) throws -> [RobotRecord] {
        let order = ["kind", "namespace", "resource", "action"].map(dialect.byteOrdered).joined(separator: ", ")
        return try robots.map { robot in
            var robot = robot
            let rows = try db.query("""
                SELECT kind, namespace, resource, action, effect FROM robot_permissions WHERE robot_id = ?
                ORDER BY \(order)
                """, [.integer(robot.id)]) { row in
                (row.text(0) ?? "", row.text(1) ?? "", RobotAccess(resource: row.text(2) ?? "", action: row.text(3) ?? "",
                                                                    effect: row.text(4) ?? "allow"))
            }
            var permissions: [RobotPermission] = []
            for (kind, namespace, access) in rows {
                if let index = permissions.firstIndex(where: { $0.kind == kind && $0.namespace == namespace }) {
                    permissions[index].access.append(access)
                } else {
                    permissions.append(RobotPermission(kind: kind, namespace: namespace, access: [access]))
                }
            }
            robot.permissions = permissions
            return robot
        }
    }

    static func writePermissions(_ db: DB, _ robotID: Int64, _ permissions: [RobotPermission]) throws {
        try db.run("DELETE FROM robot_permissions WHERE robot_id = ?", [.integer(robotID)])
        for permission in permissions {
            for access in permission.access {
                try db.run("""
                    INSERT INTO robot_permissions (robot_id, kind, namespace, resource, action, effect)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """, [.integer(robotID), .text(permission.kind), .text(permission.namespace), .text(access.resource),
                          .text(access.action), .text(access.effect)])
            }
        }
    }

    public func createRobot(_ robot: RobotRecord) async throws -> RobotRecord {
        try await write { db in
            if try db.exists("SELECT 1 FROM robots WHERE name = ?", [.text(robot.name)]) {
                throw IdentityStoreError.conflict("robot \(robot.name) already exists")
            }
            var stored = robot
            stored.id = try Self.nextID(db, "robots")
            stored.createdAt = Self.now()
            stored.updatedAt = stored.createdAt
            try db.run("INSERT INTO robots (\(Self.robotColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                .integer(stored.id), .text(stored.name), .text(stored.description), .text(stored.secretHash),
                .text(stored.level), stored.projectID.map { .integer($0) } ?? .null, .integer(stored.durationDays),
                .integer(stored.expiresAt), Self.flag(stored.isDisabled), .text(stored.creator),
                .integer(stored.createdAt), .integer(stored.updatedAt),
            ])
            try Self.writePermissions(db, stored.id, stored.permissions)
            return stored
        }
    }

    public func robot(id: Int64) async throws -> RobotRecord? {
        try await read { db in
            try Self.withPermissions(db, db.query("SELECT \(Self.robotColumns) FROM robots WHERE id = ?",
                                                  [.integer(id)], row: Self.robotRow)).first
        }
    }

    public func robot(named fullName: String) async throws -> RobotRecord? {
        try await read { db in
            try Self.withPermissions(db, db.query("SELECT \(Self.robotColumns) FROM robots WHERE name = ?",
                                                  [.text(fullName)], row: Self.robotRow)).first
        }
    }

    public func robots(projectID: Int64?, level: String?, offset: Int, limit: Int) async throws -> [RobotRecord] {
        try await read { db in
            try Self.withPermissions(db, db.query("""
                SELECT \(Self.robotColumns) FROM robots WHERE \(Self.robotFilter) ORDER BY id LIMIT ? OFFSET ?
                """, Self.robotFilterValues(projectID, level) + Self.window(offset: offset, limit: limit),
                row: Self.robotRow))
        }
    }

    public func robotCount(projectID: Int64?, level: String?) async throws -> Int {
        try await read { db in
            Int(try db.integer("SELECT COUNT(*) FROM robots WHERE \(Self.robotFilter)",
                               Self.robotFilterValues(projectID, level)) ?? 0)
        }
    }

    /// Optional project and level conditions: a 0 flag turns its condition off.
    private static var robotFilter: String { "(? = 0 OR project_id = ?) AND (? = 0 OR level = ?)" }

    private static func robotFilterValues(_ projectID: Int64?, _ level: String?) -> [SQLValue] {
        [flag(projectID != nil), .integer(projectID ?? 0), flag(level != nil), .text(level ?? "")]
    }

    public func updateRobot(_ robot: RobotRecord) async throws {
        try await write { db in
            try db.run("""
                UPDATE robots SET description = ?, disabled = ?, duration_days = ?, expires_at = ?, updated_at = ?
                WHERE id = ?
                """, [.text(robot.description), Self.flag(robot.isDisabled), .integer(robot.durationDays),
                      .integer(robot.expiresAt), .integer(Self.now()), .integer(robot.id)])
            try Self.writePermissions(db, robot.id, robot.permissions)
        }
    }

    public func setRobotSecret(id: Int64, secretHash: String) async throws {
        try await write { db in
            try db.run("UPDATE robots SET secret_hash = ?, updated_at = ? WHERE id = ?",
                       [.text(secretHash), .integer(Self.now()), .integer(id)])
        }
    }

    public func deleteRobot(id: Int64) async throws -> Bool {
        try await write { db in try db.run("DELETE FROM robots WHERE id = ?", [.integer(id)]) > 0 }
    }

    // MARK: Sessions

    public func createSession(_ session: SessionRecord) async throws {
        try await write { db in
            try db.run("""
                INSERT INTO sessions (id, user_id, csrf_token, remote_address, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [.text(session.id), .integer(session.userID), .text(session.csrfToken), .text(session.remoteAddress),
                      .integer(session.createdAt), .integer(session.expiresAt)])
        }
    }

    public func session(id: String) async throws -> SessionRecord? {
        try await read { db in
            try db.query("""
                SELECT id, user_id, csrf_token, remote_address, created_at, expires_at FROM sessions WHERE id = ?
                """, [.text(id)]) { row in
                SessionRecord(id: row.text(0) ?? "", userID: row.integer(1), csrfToken: row.text(2) ?? "",
                              remoteAddress: row.text(3) ?? "", createdAt: row.integer(4), expiresAt: row.integer(5))
            }.first
        }
    }

    public func extendSession(id: String, expiresAt: Int64) async throws {
        try await write { db in
            try db.run("UPDATE sessions SET expires_at = ? WHERE id = ?", [.integer(expiresAt), .text(id)])
        }
    }

    public func deleteSession(id: String) async throws {
        try await write { db in try db.run("DELETE FROM sessions WHERE id = ?", [.text(id)]) }
    }

    public func deleteSessions(userID: Int64) async throws {
        try await write { db in try db.run("DELETE FROM sessions WHERE user_id = ?", [.integer(userID)]) }
    }

    public func purgeSessions(expiredBy time: Int64) async throws -> Int {
        try await write { db in try db.run("DELETE FROM sessions WHERE expires_at <= ?", [.integer(time)]) }
    }
}
