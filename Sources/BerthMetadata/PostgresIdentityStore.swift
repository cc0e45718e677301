import BerthCore

/// `IdentityStore` on the same PostgreSQL database (and connection pool) as a `PostgresMetadataStore`,
/// so every node of a cluster sees the same users, projects, robots and sessions.
/// Build it with `PostgresIdentityStore(metadata:)` or `metadataStore.identityStore()`.
///
/// Writes run in SERIALIZABLE transactions: ids are `MAX(id) + 1` and names are checked before they
/// are inserted, so two nodes racing for the same id or name make one transaction fail with a
/// serialization failure (or a unique violation), which is retried; the retry then sees the winner's
/// row. Substring filters use `ILIKE` and name order uses the "C" collation, so results match SQLite's.
public final class PostgresIdentityStore: IdentityStore {
    let base: PostgresMetadataStore

    /// Attempts after which a unique violation is reported instead of retried.
    static let uniqueViolationAttempts = 3

    /// Shares the connection pool of `metadata` (its migrations include the identity tables).
    public init(metadata: PostgresMetadataStore) {
        base = metadata
    }

    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await BlockingPool.shared.run { [pool = base.pool] in
                    try pool.withConnection { db in
                        try PostgresMetadataStore.transaction(db, isolation: "SERIALIZABLE") { try body(db) }
                    }
                }
            } catch let error as PostgresError {
                let uniqueRace = error.sqlState == "23505" && attempt < Self.uniqueViolationAttempts
                guard error.isRetryable || error.broken || uniqueRace, attempt < base.maxAttempts else {
                    throw error.metadataError
                }
                try await Task.sleep(for: PostgresMetadataStore.backoff(attempt: attempt))
                attempt += 1
            }
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await base.read(body)
    }

    static func now() -> Int64 { SQLiteMetadataStore.now() }

    /// The next free id of `table` (inside the SERIALIZABLE write transaction, so a race is a retry).
    static func nextID(_ db: PostgresConnection, _ table: String) throws -> Int64 {
        (try db.query("SELECT COALESCE(MAX(id), 0) + 1 FROM \(table)", []) { $0.integer(0) }.first) ?? 1
    }

    static func exists(_ db: PostgresConnection, _ sql: String, _ parameters: [SQLValue]) throws -> Bool {
        try !db.query(sql, parameters) { _ in true }.isEmpty
    }

    static func like(_ text: String?) -> SQLValue { SQLiteIdentityStore.like(text) }

    static func optionalText(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }

    static func flag(_ value: Bool) -> SQLValue { .integer(value ? 1 : 0) }

    static func window(offset: Int, limit: Int) -> [SQLValue] {
        [.integer(Int64(max(0, limit))), .integer(Int64(max(0, offset)))]
    }

    // MARK: Users

    static let userColumns = SQLiteIdentityStore.userColumns

    static func userRecord(_ row: PostgresRow) throws -> UserRecord {
        UserRecord(id: row.integer(0), username: row.text(1) ?? "", email: row.text(2) ?? "", realname: row.text(3) ?? "",
                   comment: row.text(4) ?? "", passwordHash: row.text(5), isSysadmin: row.integer(6) != 0,
                   isDisabled: row.integer(7) != 0, source: row.text(8) ?? "local", oidcSubject: row.text(9),
                   cliSecret: row.text(10), createdAt: row.integer(11), updatedAt: row.integer(12))
    }

    public func createUser(_ user: UserRecord) async throws -> UserRecord {
        try await write { db in
            if try Self.exists(db, "SELECT 1 FROM users WHERE username = ?", [.text(user.username)]) {
                throw IdentityStoreError.conflict("user \(user.username) already exists")
            }
            var stored = user
            stored.id = try Self.nextID(db, "users")
            stored.createdAt = Self.now()
            stored.updatedAt = stored.createdAt
            try db.run("INSERT INTO users (\(Self.userColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                .integer(stored.id), .text(stored.username), .text(stored.email), .text(stored.realname),
                .text(stored.comment), Self.optionalText(stored.passwordHash), Self.flag(stored.isSysadmin),
                Self.flag(stored.isDisabled), .text(stored.source), Self.optionalText(stored.oidcSubject),
                Self.optionalText(stored.cliSecret), .integer(stored.createdAt), .integer(stored.updatedAt),
            ])
            return stored
        }
    }

    public func user(id: Int64) async throws -> UserRecord? {
        try await read { db in
            try db.query("SELECT \(Self.userColumns) FROM users WHERE id = ?", [.integer(id)], row: Self.userRecord).first
        }
    }

    public func user(named username: String) async throws -> UserRecord? {
        try await read { db in
            try db.query("SELECT \(Self.userColumns) FROM users WHERE username = ?", [.text(username)],
                         row: Self.userRecord).first
        }
    }

    public func user(oidcSubject: String) async throws -> UserRecord? {
        try await read { db in
            try db.query("SELECT \(Self.userColumns) FROM users WHERE oidc_subject = ?", [.text(oidcSubject)],
                         row: Self.userRecord).first
        }
    }

    public func users(matching: String?, offset: Int, limit: Int) async throws -> [UserRecord] {
        try await read { db in
            try db.query("""
                SELECT \(Self.userColumns) FROM users WHERE username ILIKE ? ESCAPE '\\' ORDER BY id LIMIT ? OFFSET ?
                """, [Self.like(matching)] + Self.window(offset: offset, limit: limit), row: Self.userRecord)
        }
    }

    public func userCount(matching: String?) async throws -> Int {
        try await read { db in
            try db.query("SELECT COUNT(*) FROM users WHERE username ILIKE ? ESCAPE '\\'", [Self.like(matching)]) {
                Int($0.integer(0))
            }.first ?? 0
        }
    }

    public func updateUser(_ user: UserRecord) async throws {
        try await write { db in
            if try Self.exists(db, "SELECT 1 FROM users WHERE username = ? AND id <> ?",
                               [.text(user.username), .integer(user.id)]) {
                throw IdentityStoreError.conflict("user \(user.username) already exists")
            }
            try db.run("""
                UPDATE users SET username = ?, email = ?, realname = ?, comment = ?, password_hash = ?, sysadmin = ?,
                    disabled = ?, source = ?, oidc_subject = ?, cli_secret = ?, updated_at = ? WHERE id = ?
                """, [.text(user.username), .text(user.email), .text(user.realname), .text(user.comment),
                      Self.optionalText(user.passwordHash), Self.flag(user.isSysadmin), Self.flag(user.isDisabled),
                      .text(user.source), Self.optionalText(user.oidcSubject), Self.optionalText(user.cliSecret),
                      .integer(Self.now()), .integer(user.id)])
        }
    }

    public func deleteUser(id: Int64) async throws -> Bool {
        try await write { db in
            try db.run("DELETE FROM project_members WHERE entity_type = 'u' AND entity_id = ?", [.integer(id)])
            return try db.run("DELETE FROM users WHERE id = ?", [.integer(id)]) > 0
        }
    }

    // MARK: Settings

    public func setting(_ name: String) async throws -> String? {
        try await read { db in
            try db.query("SELECT value FROM system_settings WHERE name = ?", [.text(name)]) { $0.text(0) }.first ?? nil
        }
    }

    public func setSetting(_ name: String, _ value: String) async throws {
        try await write { db in
            try db.run("""
                INSERT INTO system_settings (name, value) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value
                """, [.text(name), .text(value)])
        }
    }
}

extension PostgresMetadataStore {
    /// The identity store on this database.
    public func identityStore() -> PostgresIdentityStore { PostgresIdentityStore(metadata: self) }
}
