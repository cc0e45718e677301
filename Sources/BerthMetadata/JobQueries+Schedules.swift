extension JobQueries {
    static let scheduleColumns = """
        id, cron, job_type, payload, max_attempts, timeout_ms, enabled, last_fired_at, created_at, updated_at
        """

    static func saveSchedule<DB: JobSQLConnection>(_ db: DB, _ schedule: JobSchedule) throws {
        _ = try db.run("""
            INSERT INTO job_schedules (\(scheduleColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                cron = excluded.cron, job_type = excluded.job_type, payload = excluded.payload,
                max_attempts = excluded.max_attempts, timeout_ms = excluded.timeout_ms, enabled = excluded.enabled,
                updated_at = excluded.updated_at,
                last_fired_at = CASE WHEN excluded.last_fired_at > job_schedules.last_fired_at
                                     THEN excluded.last_fired_at ELSE job_schedules.last_fired_at END
            """, [.text(schedule.id), .text(schedule.cron), .text(schedule.jobType), .text(schedule.payload),
                  .integer(Int64(schedule.maxAttempts)), .integer(schedule.timeoutMillis),
                  .integer(schedule.enabled ? 1 : 0), .integer(schedule.lastFiredAt), .integer(schedule.createdAt),
                  .integer(schedule.updatedAt)])
    }

    static func schedules<DB: JobSQLConnection>(_ db: DB, id: String?) throws -> [JobSchedule] {
        let filter = id == nil ? "" : "WHERE id = ?"
        return try db.query("SELECT \(scheduleColumns) FROM job_schedules \(filter) ORDER BY id",
                            id.map { [.text($0)] } ?? []) { row in
            JobSchedule(id: row.text(0) ?? "", cron: row.text(1) ?? "", jobType: row.text(2) ?? "",
                        payload: row.text(3) ?? "", maxAttempts: Int(row.integer(4)), timeoutMillis: row.integer(5),
                        enabled: row.integer(6) != 0, lastFiredAt: row.integer(7), createdAt: row.integer(8),
                        updatedAt: row.integer(9))
        }
    }

    static func deleteSchedule<DB: JobSQLConnection>(_ db: DB, id: String) throws -> Bool {
        try db.run("DELETE FROM job_schedules WHERE id = ?", [.text(id)]) == 1
    }

    /// Advances the schedule to `fireTime` (only forward, only when enabled) and, if that moved it,
    /// enqueues the firing's job under its dedupe key.
    static func fireSchedule<DB: JobSQLConnection>(_ db: DB, id: String, at fireTime: Int64, now: Int64) throws -> Job? {
        let advanced = try db.run("""
            UPDATE job_schedules SET last_fired_at = ? WHERE id = ? AND enabled = 1 AND last_fired_at < ?
            """, [.integer(fireTime), .text(id), .integer(fireTime)])
        guard advanced == 1, let schedule = try schedules(db, id: id).first else { return nil }
        let result = try enqueue(db, schedule.request(firingAt: fireTime), now: now)
        return result.created ? result.job : nil
    }
}
