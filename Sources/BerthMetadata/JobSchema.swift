/// The tables of the job queue and the job schedules (one migration).
enum JobSchema {
    static func statements(for dialect: SQLDialect) -> [String] {
        let text = dialect.textType
        return [
            """
            CREATE TABLE jobs (
                id \(dialect.serialKey),
                type \(text) NOT NULL,
                payload TEXT NOT NULL,
                status \(text) NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL,
                timeout_ms BIGINT NOT NULL,
                run_after BIGINT NOT NULL,
                lease_expires_at BIGINT,
                worker TEXT,
                progress INTEGER NOT NULL DEFAULT 0,
                message TEXT,
                last_error TEXT,
                dedupe_key \(text) UNIQUE,
                stop_requested INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                started_at BIGINT,
                finished_at BIGINT
            )
            """,
            "CREATE INDEX jobs_due ON jobs(status, run_after, id)",
            "CREATE INDEX jobs_by_lease ON jobs(status, lease_expires_at)",
            "CREATE INDEX jobs_by_type ON jobs(type, id)",
            "CREATE INDEX jobs_by_finish ON jobs(finished_at)",
            """
            CREATE TABLE job_schedules (
                id \(text) PRIMARY KEY,
                cron TEXT NOT NULL,
                job_type TEXT NOT NULL,
                payload TEXT NOT NULL,
                max_attempts INTEGER NOT NULL,
                timeout_ms BIGINT NOT NULL,
                enabled INTEGER NOT NULL,
                last_fired_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
        ]
    }
}
