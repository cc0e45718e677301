/// Persistence of users, projects, members, robots, sessions and system settings. Every method is one
/// transaction. "Not found" is a nil or false result; a uniqueness clash throws `IdentityStoreError.conflict`.
public protocol IdentityStore: Sendable {
    // MARK: Users
    /// Inserts a user (its `id` is ignored and assigned) and returns it as stored.
    func createUser(_ user: UserRecord) async throws -> UserRecord
    func user(id: Int64) async throws -> UserRecord?
    /// Looks a user up by name, case-sensitively.
    func user(named username: String) async throws -> UserRecord?
    func user(oidcSubject: String) async throws -> UserRecord?
    /// Users ordered by id; `matching` filters on a username substring.
    /// Users whose name contains `matching` (ignoring ASCII case), in `sort` order (Harbor's keys `username`,
    /// `email`, `realname`, `creation_time`, `update_time`, `user_id`, `sysadmin_flag`; by id when empty).
    /// An unknown key throws `ListingError.unknownKey`.
    func users(matching: String?, sort: [ListingSort], offset: Int, limit: Int) async throws -> [UserRecord]
    func userCount(matching: String?) async throws -> Int
    /// Replaces every field but `id`, `createdAt` (and `updatedAt`, which it sets).
    func updateUser(_ user: UserRecord) async throws
    func deleteUser(id: Int64) async throws -> Bool

    // MARK: Projects
    /// Inserts a project with its metadata (its `id` is assigned) and returns it as stored.
    func createProject(_ project: ProjectRecord) async throws -> ProjectRecord
    func project(id: Int64) async throws -> ProjectRecord?
    func project(named name: String) async throws -> ProjectRecord?
    /// Projects ordered by name; `matching` filters on a name substring; `publicOnly` keeps public ones.
    func projects(matching: String?, publicOnly: Bool, offset: Int, limit: Int) async throws -> [ProjectRecord]
    func projectCount(matching: String?, publicOnly: Bool) async throws -> Int
    /// Sets (inserts or replaces) metadata keys of a project.
    func setProjectMetadata(projectID: Int64, _ values: [String: String]) async throws
    func deleteProjectMetadata(projectID: Int64, key: String) async throws
    func setStorageLimit(projectID: Int64, bytes: Int64) async throws
    /// Deletes a project with its metadata, members and project robots.
    func deleteProject(id: Int64) async throws -> Bool

    // MARK: Members
    /// Adds a member (its `id` is assigned); throws `conflict` when already a member.
    func addMember(_ member: MemberRecord) async throws -> MemberRecord
    func member(id: Int64) async throws -> MemberRecord?
    func member(projectID: Int64, userID: Int64) async throws -> MemberRecord?
    func members(projectID: Int64) async throws -> [MemberRecord]
    /// Every membership of a user, for "my projects" lists.
    func memberships(userID: Int64) async throws -> [MemberRecord]
    func updateMemberRole(id: Int64, role: Int) async throws -> Bool
    func removeMember(id: Int64) async throws -> Bool

    // MARK: Robots
    /// Inserts a robot with its permissions (its `id` is assigned) and returns it as stored.
    func createRobot(_ robot: RobotRecord) async throws -> RobotRecord
    func robot(id: Int64) async throws -> RobotRecord?
    func robot(named fullName: String) async throws -> RobotRecord?
    /// Robots ordered by id: all when `projectID` is nil, else that project's; only those of `level`
    /// ("system" or "project") when it is given.
    func robots(projectID: Int64?, level: String?, offset: Int, limit: Int) async throws -> [RobotRecord]
    func robotCount(projectID: Int64?, level: String?) async throws -> Int
    /// Replaces description, disabled, duration, expiry and permissions.
    func updateRobot(_ robot: RobotRecord) async throws
    func setRobotSecret(id: Int64, secretHash: String) async throws
    func deleteRobot(id: Int64) async throws -> Bool

    // MARK: Sessions
    func createSession(_ session: SessionRecord) async throws
    func session(id: String) async throws -> SessionRecord?
    func extendSession(id: String, expiresAt: Int64) async throws
    func deleteSession(id: String) async throws
    /// Deletes the sessions of one user (password change, disable).
    func deleteSessions(userID: Int64) async throws
    /// Removes sessions that expired at or before `time`; returns how many.
    func purgeSessions(expiredBy time: Int64) async throws -> Int

    // MARK: Settings
    func setting(_ name: String) async throws -> String?
    func setSetting(_ name: String, _ value: String) async throws
    /// Stores `value` under `name` only when no value is there yet, and returns the value stored in the
    /// end (`value` or the earlier one), so nodes racing to create a setting all converge on one value.
    func insertSettingIfAbsent(_ name: String, _ value: String) async throws -> String
}

/// Failures of an identity store beyond the engine's own errors.
public enum IdentityStoreError: Error, Equatable, Sendable {
    /// A unique name (or membership) already exists.
    case conflict(String)
}

extension IdentityStore {
    /// Users whose name contains `matching`, by id.
    public func users(matching: String?, offset: Int, limit: Int) async throws -> [UserRecord] {
        try await users(matching: matching, sort: [], offset: offset, limit: limit)
    }

    /// Robots of every level: all when `projectID` is nil, else that project's.
    public func robots(projectID: Int64?, offset: Int, limit: Int) async throws -> [RobotRecord] {
        try await robots(projectID: projectID, level: nil, offset: offset, limit: limit)
    }

    public func robotCount(projectID: Int64?) async throws -> Int {
        try await robotCount(projectID: projectID, level: nil)
    }
}
