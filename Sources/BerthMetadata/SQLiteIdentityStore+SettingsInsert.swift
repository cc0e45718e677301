extension SQLiteIdentityStore {
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
