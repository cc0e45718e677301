/// The job-queue statements, written once for both dialects. Each function runs inside a transaction
/// the store opened; `now` comes from the store's `JobClock`.
enum JobQueries {
    static let columns = """
        id, type, payload, status, attempts, max_attempts, timeout_ms, run_after, lease_expires_at, worker, \
        progress, message, last_error, dedupe_key, stop_requested, created_at, updated_at, started_at, finished_at
        """

    static func enqueue<DB: JobSQLConnection>(_ db: DB, _ request: JobRequest, now: Int64) throws -> JobEnqueueResult {
        let inserted = try db.query("""
            INSERT INTO jobs (type, payload, status, attempts, max_attempts, timeout_ms, run_after, dedupe_key,
                              created_at, updated_at)
            VALUES (?, ?, 'Pending', 0, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dedupe_key) DO NOTHING
            RETURNING \(columns)
            """, [.text(request.type), .text(request.payload), .integer(Int64(request.maxAttempts)),
                  .integer(request.timeoutMillis), .integer(request.runAfter ?? now),
                  request.dedupeKey.map(SQLValue.text) ?? .null, .integer(now), .integer(now)]) { try job($0) }
        if let created = inserted.first { return JobEnqueueResult(job: created, created: true) }
        guard let key = request.dedupeKey,
              let existing = try db.query("SELECT \(columns) FROM jobs WHERE dedupe_key = ?", [.text(key)], row: { try job($0) }).first
        else { throw MetadataError.sql("job insert returned no row") }
        return JobEnqueueResult(job: existing, created: false)
    }

    /// Finishes expired jobs that may not run again, then claims one. `lock` is appended to the
    /// candidate query (`FOR UPDATE SKIP LOCKED` on PostgreSQL, nothing on SQLite's single writer).
    static func claim<DB: JobSQLConnection>(_ db: DB, worker: String, types: [String], now: Int64,
                                            lock: String) throws -> Job? {
        try sweepExpired(db, now: now)
        let typeFilter = types.isEmpty ? "" : "AND type IN (\(Array(repeating: "?", count: types.count).joined(separator: ", ")))"
        let candidates = try db.query("""
            SELECT id FROM jobs
            WHERE ((status = 'Pending' AND run_after <= ?)
                OR (status = 'Running' AND lease_expires_at <= ? AND stop_requested = 0 AND attempts < max_attempts))
            \(typeFilter)
            ORDER BY run_after, id LIMIT 1 \(lock)
            """, [.integer(now), .integer(now)] + types.map(SQLValue.text)) { $0.integer(0) }
        guard let id = candidates.first else { return nil }
        _ = try db.run("""
            UPDATE jobs SET status = 'Running', attempts = attempts + 1, worker = ?, lease_expires_at = ? + timeout_ms,
                            started_at = ?, updated_at = ?, progress = 0, message = NULL
            WHERE id = ?
            """, [.text(worker), .integer(now), .integer(now), .integer(now), .integer(id)])
        return try job(db, id: id)
    }

    private static func sweepExpired<DB: JobSQLConnection>(_ db: DB, now: Int64) throws {
        _ = try db.run("""
            UPDATE jobs SET status = 'Stopped', lease_expires_at = NULL, finished_at = ?, updated_at = ?
            WHERE status = 'Running' AND lease_expires_at <= ? AND stop_requested = 1
            """, [.integer(now), .integer(now), .integer(now)])
        _ = try db.run("""
            UPDATE jobs SET status = 'Error', lease_expires_at = NULL, finished_at = ?, updated_at = ?,
                            last_error = 'lease expired on the last attempt'
            WHERE status = 'Running' AND lease_expires_at <= ? AND stop_requested = 0 AND attempts >= max_attempts
            """, [.integer(now), .integer(now), .integer(now)])
    }

    static func heartbeat<DB: JobSQLConnection>(_ db: DB, _ lease: JobLease, progress: Int?, message: String?,
                                                now: Int64) throws -> JobLeaseState {
        let flags = try db.query("""
            UPDATE jobs SET progress = COALESCE(?, progress), message = COALESCE(?, message), updated_at = ?
            WHERE id = ? AND attempts = ? AND status = 'Running'
            RETURNING stop_requested
            """, [progress.map { .integer(Int64(min(100, max(0, $0)))) } ?? .null, message.map(SQLValue.text) ?? .null,
                  .integer(now), .integer(lease.jobID), .integer(Int64(lease.attempt))]) { $0.integer(0) }
        guard let flag = flags.first else { return .lost }
        return flag == 0 ? .held : .stopRequested
    }

    static func complete<DB: JobSQLConnection>(_ db: DB, _ lease: JobLease, message: String?, now: Int64) throws -> Bool {
        try db.run("""
            UPDATE jobs SET status = 'Success', progress = 100, message = COALESCE(?, message), lease_expires_at = NULL,
                            finished_at = ?, updated_at = ?
            WHERE id = ? AND attempts = ? AND status = 'Running'
            """, [message.map(SQLValue.text) ?? .null, .integer(now), .integer(now), .integer(lease.jobID),
                  .integer(Int64(lease.attempt))]) == 1
    }

    static func fail<DB: JobSQLConnection>(_ db: DB, _ lease: JobLease, error: String, retryDelay: Int64,
                                           now: Int64) throws -> JobStatus? {
        let statuses = try db.query("""
            UPDATE jobs SET
                status = CASE WHEN stop_requested = 1 THEN 'Stopped' WHEN attempts < max_attempts THEN 'Pending' ELSE 'Error' END,
                finished_at = CASE WHEN stop_requested = 0 AND attempts < max_attempts THEN NULL ELSE CAST(? AS BIGINT) END,
                run_after = ?, last_error = ?, lease_expires_at = NULL, updated_at = ?
            WHERE id = ? AND attempts = ? AND status = 'Running'
            RETURNING status
            """, [.integer(now), .integer(now + max(0, retryDelay)), .text(error), .integer(now), .integer(lease.jobID),
                  .integer(Int64(lease.attempt))]) { $0.text(0) }
        guard let first = statuses.first else { return nil }
        return first.flatMap(JobStatus.init(rawValue:))
    }

    static func release<DB: JobSQLConnection>(_ db: DB, _ lease: JobLease, now: Int64) throws -> Bool {
        try db.run("""
            UPDATE jobs SET status = CASE WHEN stop_requested = 1 THEN 'Stopped' ELSE 'Pending' END,
                            attempts = attempts - 1, run_after = ?, lease_expires_at = NULL, updated_at = ?,
                            finished_at = CASE WHEN stop_requested = 1 THEN CAST(? AS BIGINT) ELSE NULL END
            WHERE id = ? AND attempts = ? AND status = 'Running'
            """, [.integer(now), .integer(now), .integer(now), .integer(lease.jobID), .integer(Int64(lease.attempt))]) == 1
    }

    static func markStopped<DB: JobSQLConnection>(_ db: DB, _ lease: JobLease, now: Int64) throws -> Bool {
        try db.run("""
            UPDATE jobs SET status = 'Stopped', lease_expires_at = NULL, finished_at = ?, updated_at = ?
            WHERE id = ? AND attempts = ? AND status = 'Running'
            """, [.integer(now), .integer(now), .integer(lease.jobID), .integer(Int64(lease.attempt))]) == 1
    }

    static func stop<DB: JobSQLConnection>(_ db: DB, id: Int64, now: Int64) throws -> Job? {
        _ = try db.run("""
            UPDATE jobs SET status = 'Stopped', finished_at = ?, updated_at = ? WHERE id = ? AND status = 'Pending'
            """, [.integer(now), .integer(now), .integer(id)])
        _ = try db.run("UPDATE jobs SET stop_requested = 1, updated_at = ? WHERE id = ? AND status = 'Running'",
                       [.integer(now), .integer(id)])
        return try job(db, id: id)
    }

    static func retry<DB: JobSQLConnection>(_ db: DB, id: Int64, now: Int64) throws -> Bool {
        try db.run("""
            UPDATE jobs SET status = 'Pending', attempts = 0, stop_requested = 0, run_after = ?, finished_at = NULL,
                            lease_expires_at = NULL, updated_at = ?
            WHERE id = ? AND status IN ('Error', 'Stopped')
            """, [.integer(now), .integer(now), .integer(id)]) == 1
    }

    static func job<DB: JobSQLConnection>(_ db: DB, id: Int64) throws -> Job? {
        try db.query("SELECT \(columns) FROM jobs WHERE id = ?", [.integer(id)]) { try job($0) }.first
    }

    static func jobs<DB: JobSQLConnection>(_ db: DB, _ query: JobQuery) throws -> [Job] {
        var conditions = ["id < ?"]
        var parameters: [SQLValue] = [.integer(query.beforeID ?? Int64.max)]
        if let status = query.status {
            conditions.append("status = ?")
            parameters.append(.text(status.rawValue))
        }
        if let type = query.type {
            conditions.append("type = ?")
            parameters.append(.text(type))
        }
        return try db.query("""
            SELECT \(columns) FROM jobs WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT ?
            """, parameters + [.integer(Int64(query.limit))]) { try job($0) }
    }

    static func counts<DB: JobSQLConnection>(_ db: DB, type: String?) throws -> [JobStatus: Int] {
        let filter = type == nil ? "" : "WHERE type = ?"
        let rows = try db.query("SELECT status, COUNT(*) FROM jobs \(filter) GROUP BY status",
                                type.map { [.text($0)] } ?? []) { row in (row.text(0), Int(row.integer(1))) }
        var counts: [JobStatus: Int] = [:]
        for (status, count) in rows {
            if let status = status.flatMap(JobStatus.init(rawValue:)) { counts[status] = count }
        }
        return counts
    }

    static func purge<DB: JobSQLConnection>(_ db: DB, finishedBefore cutoff: Int64) throws -> Int {
        try db.run("DELETE FROM jobs WHERE status IN ('Success', 'Error', 'Stopped') AND finished_at < ?",
                   [.integer(cutoff)])
    }

    static func job<Row: JobSQLRow>(_ row: Row) throws -> Job {
        guard let type = row.text(1), let status = row.text(3).flatMap(JobStatus.init(rawValue:)) else {
            throw MetadataError.corrupt("job row \(row.integer(0))")
        }
        return Job(id: row.integer(0), type: type, payload: row.text(2) ?? "", status: status,
                   attempts: Int(row.integer(4)), maxAttempts: Int(row.integer(5)), timeoutMillis: row.integer(6),
                   runAfter: row.integer(7), leaseExpiresAt: row.optionalInteger(8), worker: row.text(9),
                   progress: Int(row.integer(10)), message: row.text(11), lastError: row.text(12), dedupeKey: row.text(13),
                   stopRequested: row.integer(14) != 0, createdAt: row.integer(15), updatedAt: row.integer(16),
                   startedAt: row.optionalInteger(17), finishedAt: row.optionalInteger(18))
    }
}
