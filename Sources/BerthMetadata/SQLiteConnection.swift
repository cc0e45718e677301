internal import CSQLite

/// One SQLite connection with its cache of prepared statements.
///
/// The connection is opened in multi-thread mode (`SQLITE_OPEN_NOMUTEX`), so it must be used by one
/// thread at a time; `SQLiteConnectionPool` and the store's writer lock guarantee that.
final class SQLiteConnection: @unchecked Sendable {
    // @unchecked Sendable: it is handed between blocking-pool threads but only ever used by the one
    // thread that has checked it out of its pool (or holds the writer lock), never concurrently.
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]

    /// SQLite's "copy the bytes now" destructor, which Swift does not import.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String, readOnly: Bool) throws {
        var db: OpaquePointer?
        // Readers open read-write too (a read-only connection cannot create WAL's shared-memory file)
        // and are made read-only with `query_only`.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw MetadataError.open("\(path): \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 5_000)
        sqlite3_extended_result_codes(db, 1)
        try execute("PRAGMA foreign_keys = ON")
        if readOnly {
            try execute("PRAGMA query_only = ON")
        } else {
            try execute("PRAGMA journal_mode = WAL")
        }
        try execute("PRAGMA synchronous = FULL")
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without parameters or results.
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &error) != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastError
            sqlite3_free(error)
            throw MetadataError.sql(message)
        }
    }

    /// Runs a statement and returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ parameters: [SQLValue] = []) throws -> Int {
        try withStatement(sql, parameters) { statement in
            var status = sqlite3_step(statement)
            while status == SQLITE_ROW { status = sqlite3_step(statement) }
            guard status == SQLITE_DONE else { throw MetadataError.sql(lastError) }
            return Int(sqlite3_changes(handle))
        }
    }

    /// Runs a query and maps each row.
    func query<T>(_ sql: String, _ parameters: [SQLValue] = [], row: (SQLiteRow) throws -> T) throws -> [T] {
        try withStatement(sql, parameters) { statement in
            var results: [T] = []
            while true {
                let status = sqlite3_step(statement)
                if status == SQLITE_DONE { return results }
                guard status == SQLITE_ROW else { throw MetadataError.sql(lastError) }
                results.append(try row(SQLiteRow(statement: statement)))
            }
        }
    }

    /// Runs `body` in an immediate transaction, committing on success and rolling back on error.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try run("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            _ = try? run("ROLLBACK")
            throw error
        }
    }

    private var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    private func withStatement<T>(_ sql: String, _ parameters: [SQLValue], _ body: (OpaquePointer) throws -> T) throws -> T {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (offset, value) in parameters.enumerated() {
            try bind(value, at: Int32(offset + 1), to: statement)
        }
        return try body(statement)
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
              let statement else {
            throw MetadataError.sql("\(lastError) in: \(sql)")
        }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLValue, at index: Int32, to statement: OpaquePointer) throws {
        let status: Int32
        switch value {
        case .null:
            status = sqlite3_bind_null(statement, index)
        case .integer(let number):
            status = sqlite3_bind_int64(statement, index, number)
        case .text(let text):
            status = sqlite3_bind_text(statement, index, text, -1, Self.transient)
        case .bytes(let bytes):
            status = bytes.withUnsafeBytes { buffer in
                // A zero-length blob still needs a non-null pointer to be a blob rather than NULL.
                sqlite3_bind_blob64(statement, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                    sqlite3_uint64(buffer.count), Self.transient)
            }
        }
        guard status == SQLITE_OK else { throw MetadataError.sql(lastError) }
    }
}

/// Column access for the current row of a stepping statement.
struct SQLiteRow {
    fileprivate let statement: OpaquePointer

    func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    func bytes(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
