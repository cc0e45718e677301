internal import CSQLite

/// Reads installed packages from rpm's SQLite database (`rpmdb.sqlite`, table `Packages(hnum, blob)`),
/// entirely in memory (`sqlite3_deserialize`): nothing is written to disk.
enum RPMDatabaseReader {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func packages(_ bytes: [UInt8], ecosystem: String) throws -> [InstalledPackage] {
        guard bytes.count >= 100, bytes.starts(with: Array("SQLite format 3\u{0}".utf8)) else {
            throw Failure(description: "not an SQLite database")
        }
        var db: OpaquePointer?
        guard sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let handle = db else {
            throw Failure(description: "cannot open an in-memory database")
        }
        defer { sqlite3_close_v2(handle) }
        guard let copy = sqlite3_malloc64(sqlite3_uint64(bytes.count)) else { throw Failure(description: "out of memory") }
        bytes.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        // A WAL-mode header (bytes 18 and 19 = 2) cannot be read from memory; mark it rollback-journal.
        let header = copy.assumingMemoryBound(to: UInt8.self)
        header[18] = 1; header[19] = 1
        let flags = UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY)
        guard sqlite3_deserialize(handle, "main", header, sqlite3_int64(bytes.count), sqlite3_int64(bytes.count), flags) == SQLITE_OK else {
            throw Failure(description: "cannot load the database")
        }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, "SELECT blob FROM Packages ORDER BY hnum", -1, &statement, nil) == SQLITE_OK,
              let stmt = statement else {
            throw Failure(description: String(cString: sqlite3_errmsg(handle)))
        }
        defer { sqlite3_finalize(stmt) }
        var out: [InstalledPackage] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw Failure(description: String(cString: sqlite3_errmsg(handle))) }
            let count = Int(sqlite3_column_bytes(stmt, 0))
            guard count > 0, let blob = sqlite3_column_blob(stmt, 0) else { continue }
            let data = [UInt8](UnsafeRawBufferPointer(start: blob, count: count))
            guard let h = RPMHeaderParser.parse(data), h.name != "gpg-pubkey" else { continue }
            out.append(InstalledPackage(ecosystem: ecosystem, name: h.name, version: h.fullVersion,
                                        sourceName: h.sourceName, kind: .os))
        }
        return out
    }
}
