internal import CPostgres
import Glibc

/// One libpq connection with its cache of prepared statements.
///
/// Parameters are sent as text except bytes, which go as binary (format 1), so BYTEA is binary-safe.
/// Results are always requested in binary format; `PostgresRow` decodes them.
final class PostgresConnection: @unchecked Sendable {
    // @unchecked Sendable: it is handed between blocking-pool threads but only ever used by the one
    // thread that has checked it out of `PostgresConnectionPool`, never concurrently.
    private let handle: OpaquePointer
    private let setup: [String]
    /// SQL text to prepared-statement name, valid for the current server session only.
    private var statements: [String: String] = [:]

    /// Connects with `url` (a libpq URI or key-value string) and runs `setup` statements.
    init(url: String, setup: [String] = []) throws {
        // Later entries override earlier ones, so the URL's own settings win over these defaults.
        let keywords = ["connect_timeout", "application_name", "dbname"]
        let values = ["10", "berth", url]
        let connection = withCStrings(keywords) { keys in
            withCStrings(values) { vals in PQconnectdbParams(keys, vals, 1) }
        }
        guard let connection else { throw MetadataError.open("PostgreSQL: out of memory") }
        handle = connection
        self.setup = setup
        guard PQstatus(connection) == CONNECTION_OK else {
            throw MetadataError.open("PostgreSQL: \(Self.message(of: connection))")
        }
        for statement in setup { try execute(statement) }
    }

    deinit { PQfinish(handle) }

    /// Whether the connection is usable, reconnecting when the server side went away. Cheap: it only
    /// reads what the server may already have sent (such as a termination notice), no round trip.
    func ensureHealthy() throws {
        if PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) == PQTRANS_IDLE, PQconsumeInput(handle) == 1,
           PQstatus(handle) == CONNECTION_OK {
            return
        }
        try reconnect()
    }

    /// Drops the server session and opens a new one with the same settings.
    func reconnect() throws {
        statements.removeAll()
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw MetadataError.open("PostgreSQL: \(Self.message(of: handle))")
        }
        for statement in setup { try execute(statement) }
    }

    /// Whether the server session is lost.
    var isBroken: Bool { PQstatus(handle) != CONNECTION_OK }

    /// Runs statements without parameters or results (may be several separated by semicolons).
    func execute(_ sql: String) throws {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
    }

    /// Runs a statement and returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ parameters: [SQLValue] = []) throws -> Int {
        try withResult(sql, parameters) { result in Int(String(cString: PQcmdTuples(result))) ?? 0 }
    }

    /// Runs a query and maps each row.
    func query<T>(_ sql: String, _ parameters: [SQLValue] = [], row: (PostgresRow) throws -> T) throws -> [T] {
        try withResult(sql, parameters) { result in
            try (0..<PQntuples(result)).map { try row(PostgresRow(result: result, index: $0)) }
        }
    }

    private func withResult<T>(_ sql: String, _ parameters: [SQLValue], _ body: (OpaquePointer) throws -> T) throws -> T {
        let name = try prepared(sql, parameterCount: parameters.count)
        let result = PostgresParameters(parameters).withArrays { values, lengths, formats in
            PQexecPrepared(handle, name, Int32(parameters.count), values, lengths, formats, 1)
        }
        defer { PQclear(result) }
        try check(result, sql: sql)
        return try body(result!)
    }

    private func prepared(_ sql: String, parameterCount: Int) throws -> String {
        if let name = statements[sql] { return name }
        let name = "berth_\(statements.count + 1)"
        let result = PQprepare(handle, name, Self.numberedPlaceholders(sql), 0, nil)
        defer { PQclear(result) }
        try check(result, sql: sql)
        statements[sql] = name
        return name
    }

    /// Rewrites SQLite-style `?` placeholders as PostgreSQL's `$1`, `$2`, … so both stores can share
    /// statement text. Question marks inside quoted literals or identifiers are left alone.
    static func numberedPlaceholders(_ sql: String) -> String {
        var output = ""
        var quote: Character?
        var number = 0
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                output.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                output.append(character)
            } else if character == "?" {
                number += 1
                output += "$\(number)"
            } else {
                output.append(character)
            }
        }
        return output
    }

    private func check(_ result: OpaquePointer?, sql: String) throws {
        guard let result else { throw PostgresError(sqlState: nil, message: Self.message(of: handle), broken: isBroken) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let message = String(cString: PQresultErrorMessage(result)).trimmingSpaces()
            throw PostgresError(sqlState: state, message: "\(message) in: \(sql.prefix(200))", broken: isBroken)
        }
    }

    private static func message(of connection: OpaquePointer) -> String {
        String(cString: PQerrorMessage(connection)).trimmingSpaces()
    }
}

/// Column access for one row of a binary-format result.
struct PostgresRow {
    fileprivate let result: OpaquePointer
    fileprivate let index: Int32

    func isNull(_ column: Int32) -> Bool { PQgetisnull(result, index, column) == 1 }

    /// An integer column of any width (int2, int4, int8), sent big-endian.
    func integer(_ column: Int32) -> Int64 {
        guard !isNull(column), let pointer = PQgetvalue(result, index, column) else { return 0 }
        let count = Int(PQgetlength(result, index, column))
        var value: Int64 = 0
        for offset in 0..<count { value = value << 8 | Int64(UInt8(bitPattern: pointer[offset])) }
        // Sign-extend narrower integers.
        let shift = Int64(64 - 8 * count)
        return count < 8 && count > 0 ? (value << shift) >> shift : value
    }

    func text(_ column: Int32) -> String? {
        guard !isNull(column) else { return nil }
        return String(decoding: bytes(column), as: UTF8.self)
    }

    func bytes(_ column: Int32) -> [UInt8] {
        guard !isNull(column), let pointer = PQgetvalue(result, index, column) else { return [] }
        let count = Int(PQgetlength(result, index, column))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// Runs `body` with a NULL-terminated array of C strings.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

private extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
