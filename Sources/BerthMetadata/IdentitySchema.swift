/// The identity tables (migration 2): users, projects and their metadata, members, robots and their
/// permissions, browser sessions and system settings. Portable SQL: integer ids are assigned by the
/// store (`MAX(id) + 1` inside the write transaction), booleans are integers 0/1, times are epoch seconds.
enum IdentitySchema {
    static let tables: [String] = [
        """
        CREATE TABLE users (
            id BIGINT PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            email TEXT NOT NULL DEFAULT '',
            realname TEXT NOT NULL DEFAULT '',
            comment TEXT NOT NULL DEFAULT '',
            password_hash TEXT,
            sysadmin INTEGER NOT NULL DEFAULT 0,
            disabled INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL DEFAULT 'local',
            oidc_subject TEXT,
            cli_secret TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX users_by_oidc_subject ON users(oidc_subject)",
        """
        CREATE TABLE projects (
            id BIGINT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            owner_id BIGINT NOT NULL,
            storage_limit BIGINT NOT NULL DEFAULT -1,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE project_metadata (
            project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (project_id, name)
        )
        """,
        """
        CREATE TABLE project_members (
            id BIGINT PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            entity_id BIGINT NOT NULL,
            entity_type TEXT NOT NULL,
            role INTEGER NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            UNIQUE (project_id, entity_type, entity_id)
        )
        """,
        "CREATE INDEX project_members_by_entity ON project_members(entity_type, entity_id)",
        """
        CREATE TABLE robots (
            id BIGINT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL DEFAULT '',
            secret_hash TEXT NOT NULL,
            level TEXT NOT NULL,
            project_id BIGINT REFERENCES projects(id) ON DELETE CASCADE,
            duration_days BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            creator TEXT NOT NULL DEFAULT '',
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX robots_by_project ON robots(project_id)",
        """
        CREATE TABLE robot_permissions (
            robot_id BIGINT NOT NULL REFERENCES robots(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,
            resource TEXT NOT NULL,
            action TEXT NOT NULL,
            effect TEXT NOT NULL DEFAULT 'allow',
            PRIMARY KEY (robot_id, kind, namespace, resource, action)
        )
        """,
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            csrf_token TEXT NOT NULL,
            remote_address TEXT NOT NULL DEFAULT '',
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX sessions_by_expiry ON sessions(expires_at)",
        """
        CREATE TABLE system_settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )
        """,
    ]
}
