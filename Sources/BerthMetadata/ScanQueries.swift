/// The scan statements, shared by SQLite and PostgreSQL (both take `?` placeholders).
enum ScanQueries {
    static let tables = [
        """
        CREATE TABLE scan_reports (
            digest TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            progress INTEGER NOT NULL,
            inventory TEXT,
            report TEXT,
            error TEXT,
            database_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX scan_reports_database ON scan_reports(status, database_at)",
    ]

    /// The severity summary columns (a NULL `severity` means no summary), the start time and the job.
    static let summaryColumns = [
        "ALTER TABLE scan_reports ADD COLUMN started_at BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE scan_reports ADD COLUMN job_id BIGINT",
        "ALTER TABLE scan_reports ADD COLUMN severity TEXT",
    ] + countColumns.map { "ALTER TABLE scan_reports ADD COLUMN \($0) BIGINT NOT NULL DEFAULT 0" } + [
        "ALTER TABLE scan_reports ADD COLUMN scanner_name TEXT",
        "ALTER TABLE scan_reports ADD COLUMN scanner_vendor TEXT",
        "ALTER TABLE scan_reports ADD COLUMN scanner_version TEXT",
    ]

    /// One column per label of `ScanCounts.severities`, then fixable and total.
    static let countColumns = ScanCounts.severities.map { $0.lowercased() + "_count" } + ["fixable_count", "total_count"]

    /// The columns of a `ScanSummary`, in the order `summary(_:)` reads them.
    static let summarySelect = (["digest", "status", "progress", "error", "database_at", "started_at", "updated_at", "job_id",
                                 "severity"] + countColumns + ["scanner_name", "scanner_vendor", "scanner_version"])
        .joined(separator: ", ")
    private static let summaryWidth: Int32 = 9 + Int32(countColumns.count) + 3

    static func save<C: JobSQLConnection>(_ db: C, _ record: ScanRecord) throws {
        let columns = ["digest", "status", "progress", "inventory", "report", "error", "database_at", "updated_at",
                       "started_at", "job_id"] + countsColumnNames
        let updates = columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        _ = try db.run("""
            INSERT INTO scan_reports (\(columns.joined(separator: ", ")))
            VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            ON CONFLICT (digest) DO UPDATE SET \(updates)
            """, [.text(record.digest), .text(record.status), .integer(Int64(record.progress)), optional(record.inventoryJSON),
                  optional(record.reportJSON), optional(record.error), .integer(record.databaseAt), .integer(record.updatedAt),
                  .integer(record.startedAt), record.jobID.map(SQLValue.integer) ?? .null] + countsValues(record.counts))
    }

    static func find<C: JobSQLConnection>(_ db: C, digest: String) throws -> ScanRecord? {
        try db.query("SELECT \(summarySelect), inventory, report FROM scan_reports WHERE digest = ?", [.text(digest)]) { row in
            let summary = Self.summary(row)
            return ScanRecord(digest: summary.digest, status: summary.status, progress: summary.progress,
                              inventoryJSON: row.text(summaryWidth), reportJSON: row.text(summaryWidth + 1),
                              error: summary.error, databaseAt: summary.databaseAt, updatedAt: summary.updatedAt,
                              startedAt: summary.startedAt, jobID: summary.jobID, counts: summary.counts)
        }.first
    }

    /// The summaries of `digests` that have a row: one statement per 500 digests.
    static func summaries<C: JobSQLConnection>(_ db: C, digests: [String]) throws -> [String: ScanSummary] {
        var found: [String: ScanSummary] = [:]
        let unique = Array(Set(digests)).sorted()
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = unique[start..<min(unique.count, start + 500)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for summary in try db.query("SELECT \(summarySelect) FROM scan_reports WHERE digest IN (\(marks))",
                                        chunk.map(SQLValue.text), row: summary) {
                found[summary.digest] = summary
            }
        }
        return found
    }

    /// Stores the counts of a Success row saved without them, unless the row changed since `updatedAt`.
    static func updateCounts<C: JobSQLConnection>(_ db: C, digest: String, counts: ScanCounts, updatedAt: Int64) throws -> Bool {
        let assignments = countsColumnNames.map { "\($0) = ?" }.joined(separator: ", ")
        return try db.run("""
            UPDATE scan_reports SET \(assignments)
            WHERE digest = ? AND status = 'Success' AND updated_at = ? AND severity IS NULL
            """, countsValues(counts) + [.text(digest), .integer(updatedAt)]) > 0
    }

    /// Moves a row from `expected` (status and update time) to `status`, keeping its inventory and report.
    static func updateStatus<C: JobSQLConnection>(_ db: C, digest: String, from expected: (status: String, updatedAt: Int64),
                                                  to status: String, error: String?, at now: Int64) throws -> Bool {
        try db.run("""
            UPDATE scan_reports SET status = ?, error = ?, updated_at = ?
            WHERE digest = ? AND status = ? AND updated_at = ?
            """, [.text(status), optional(error), .integer(now), .text(digest), .text(expected.status),
                  .integer(expected.updatedAt)]) > 0
    }

    static func stale<C: JobSQLConnection>(_ db: C, olderThan databaseAt: Int64, limit: Int) throws -> [String] {
        try db.query("""
            SELECT digest FROM scan_reports WHERE status = 'Success' AND database_at < ? AND inventory IS NOT NULL
            ORDER BY digest LIMIT ?
            """, [.integer(databaseAt), .integer(Int64(limit))]) { row in row.text(0) ?? "" }
    }

    static func inventories<C: JobSQLConnection>(_ db: C, after digest: String, limit: Int) throws
        -> [(digest: String, inventoryJSON: String)] {
        try db.query("""
            SELECT digest, inventory FROM scan_reports WHERE digest > ? AND inventory IS NOT NULL
            ORDER BY digest LIMIT ?
            """, [.text(digest), .integer(Int64(limit))]) { row in (row.text(0) ?? "", row.text(1) ?? "") }
    }

    // MARK: Rows

    private static let countsColumnNames = ["severity"] + countColumns + ["scanner_name", "scanner_vendor", "scanner_version"]

    private static func countsValues(_ counts: ScanCounts?) -> [SQLValue] {
        guard let counts else { return [.null] + countColumns.map { _ in .integer(0) } + [.null, .null, .null] }
        return [.text(counts.severity)] + ScanCounts.severities.map { .integer(Int64(counts.count($0))) }
            + [.integer(Int64(counts.fixable)), .integer(Int64(counts.total)), .text(counts.scannerName),
               .text(counts.scannerVendor), .text(counts.scannerVersion)]
    }

    private static func summary<R: JobSQLRow>(_ row: R) -> ScanSummary {
        var counts: ScanCounts?
        if let severity = row.text(8) {
            let labels = ScanCounts.severities
            var bySeverity: [String: Int] = [:]
            for (offset, label) in labels.enumerated() { bySeverity[label] = Int(row.integer(9 + Int32(offset))) }
            let next = 9 + Int32(labels.count)
            counts = ScanCounts(bySeverity: bySeverity, fixable: Int(row.integer(next)), total: Int(row.integer(next + 1)),
                                severity: severity, scannerName: row.text(next + 2) ?? "",
                                scannerVendor: row.text(next + 3) ?? "", scannerVersion: row.text(next + 4) ?? "")
        }
        return ScanSummary(digest: row.text(0) ?? "", status: row.text(1) ?? "", progress: Int(row.integer(2)), error: row.text(3),
                           databaseAt: row.integer(4), startedAt: row.integer(5), updatedAt: row.integer(6),
                           jobID: row.optionalInteger(7), counts: counts)
    }

    private static func optional(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
}
