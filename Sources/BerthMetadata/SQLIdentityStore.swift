/// The `IdentityStore` queries, written once for `SQLiteIdentityStore` and `PostgresIdentityStore`:
/// each conforms, supplies its transactions (`SQLStoreAccess`), and gets these implementations.
///
/// Ids are `MAX(id) + 1`, taken inside the write transaction (SQLite's single writer cannot race;
/// on PostgreSQL a race is a serialization failure that the store retries). Substring filters ignore
/// ASCII case and name order is byte-wise on both databases.
protocol SQLIdentityStore: IdentityStore, SQLStoreAccess {}

extension SQLIdentityStore {
    static func now() -> Int64 { SQLiteMetadataStore.now() }

    /// The next free id of `table` (called inside the write transaction).
    static func nextID(_ db: DB, _ table: String) throws -> Int64 {
        try db.integer("SELECT COALESCE(MAX(id), 0) + 1 FROM \(table)") ?? 1
    }

    /// A `LIKE … ESCAPE '\'` pattern matching names that contain `text` (all names when empty).
    static func like(_ text: String?) -> SQLValue {
        guard let text, !text.isEmpty else { return .text("%") }
        return .text("%" + ListingSQL.escapeLike(text) + "%")
    }

    /// The case-insensitive `LIKE` operator of this database.
    static var likeOperator: String { dialect.caseInsensitiveLike }

    static func optionalText(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }

    static func flag(_ value: Bool) -> SQLValue { .integer(value ? 1 : 0) }

    /// `LIMIT ? OFFSET ?` parameters.
    static func window(offset: Int, limit: Int) -> [SQLValue] {
        [.integer(Int64(max(0, limit))), .integer(Int64(max(0, offset)))]
    }

    // MARK: Users

    static var userColumns: String {
        """
        id, username, email, realname, comment, password_hash, sysadmin, disabled, source, oidc_subject,
        cli_secret, created_at, updated_at
        """
    }

    static func userRecord<Row: SQLRow>(_ row: Row) throws -> UserRecord {
        UserRecord(id: row.integer(0), username: row.text(1) ?? "", email: row.text(2) ?? "", realname: row.text(3) ?? "",
                   comment: row.text(4) ?? "", passwordHash: row.text(5), isSysadmin: row.integer(6) != 0,
                   isDisabled: row.integer(7) != 0, source: row.text(8) ?? "local", oidcSubject: row.text(9),
                   cliSecret: row.text(10), createdAt: row.integer(11), updatedAt: row.integer(12))
    }

    public func createUser(_ user: UserRecord) async throws -> UserRecord {
        try await write { db in
            if try db.exists("SELECT 1 FROM users WHERE username = ?", [.text(user.username)]) {
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
        try await user(where: "id = ?", .integer(id))
    }

    public func user(named username: String) async throws -> UserRecord? {
        try await user(where: "username = ?", .text(username))
    }

    public func user(oidcSubject: String) async throws -> UserRecord? {
        try await user(where: "oidc_subject = ?", .text(oidcSubject))
    }

    private func user(where condition: String, _ value: SQLValue) async throws -> UserRecord? {
        try await read { db in
            try db.query("SELECT \(Self.userColumns) FROM users WHERE \(condition)", [value], row: Self.userRecord).first
        }
    }

    public func users(matching: String?, sort: [ListingSort], offset: Int, limit: Int) async throws -> [UserRecord] {
        let order = try ListingSQL(ListingQuery(sort: sort), columns: Self.userSortColumns,
                                   defaultSort: [ListingSort(key: "user_id")], tiebreak: ["id"]).orderBy
        return try await read { db in
            try db.query("""
                SELECT \(Self.userColumns) FROM users WHERE username \(Self.likeOperator) ? ESCAPE '\\'
                ORDER BY \(order) LIMIT ? OFFSET ?
                """, [Self.like(matching)] + Self.window(offset: offset, limit: limit), row: Self.userRecord)
        }
    }

    /// The keys users sort by, with names compared byte-wise on both databases.
    static var userSortColumns: [ListingColumn] {
        [
            ListingColumn("username", dialect.byteOrdered("username")),
            ListingColumn("email", dialect.byteOrdered("email")),
            ListingColumn("realname", dialect.byteOrdered("realname")),
            ListingColumn("creation_time", "created_at", .time),
            ListingColumn("update_time", "updated_at", .time),
            ListingColumn("user_id", "id", .integer),
            ListingColumn("sysadmin_flag", "sysadmin", .integer),
        ]
    }

    public func userCount(matching: String?) async throws -> Int {
        try await read { db in
            Int(try db.integer("SELECT COUNT(*) FROM users WHERE username \(Self.likeOperator) ? ESCAPE '\\'",
                               [Self.like(matching)]) ?? 0)
        }
    }

    public func updateUser(_ user: UserRecord) async throws {
        try await write { db in
            if try db.exists("SELECT 1 FROM users WHERE username = ? AND id <> ?", [.text(user.username), .integer(user.id)]) {
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

    /// Inserts the setting unless present (`ON CONFLICT DO NOTHING`) and reads the winner back in the
    /// same write transaction.
    public func insertSettingIfAbsent(_ name: String, _ value: String) async throws -> String {
        try await write { db in
            try db.run("INSERT INTO system_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                       [.text(name), .text(value)])
            let stored = try db.query("SELECT value FROM system_settings WHERE name = ?", [.text(name)]) { $0.text(0) }
            guard let winner = stored.first ?? nil else {
                throw MetadataError.corrupt("setting \(name) vanished right after it was inserted")
            }
            return winner
        }
    }
}
