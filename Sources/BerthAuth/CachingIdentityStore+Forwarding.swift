import BerthMetadata

/// Every other `IdentityStore` call goes to `base`; the ones that change projects, members, users or
/// robots forget the cached lookups (see `CachingIdentityStore`).
extension CachingIdentityStore {
    // MARK: Users

    public func createUser(_ user: UserRecord) async throws -> UserRecord {
        try await changing { try await base.createUser(user) }
    }
    public func user(id: Int64) async throws -> UserRecord? { try await base.user(id: id) }
    public func user(named username: String) async throws -> UserRecord? { try await base.user(named: username) }
    public func user(oidcSubject: String) async throws -> UserRecord? { try await base.user(oidcSubject: oidcSubject) }
    public func users(matching: String?, sort: [ListingSort], offset: Int, limit: Int) async throws -> [UserRecord] {
        try await base.users(matching: matching, sort: sort, offset: offset, limit: limit)
    }
    public func userCount(matching: String?) async throws -> Int { try await base.userCount(matching: matching) }
    public func updateUser(_ user: UserRecord) async throws { try await changing { try await base.updateUser(user) } }
    public func deleteUser(id: Int64) async throws -> Bool { try await changing { try await base.deleteUser(id: id) } }

    // MARK: Projects

    public func createProject(_ project: ProjectRecord) async throws -> ProjectRecord {
        try await changing { try await base.createProject(project) }
    }
    public func project(id: Int64) async throws -> ProjectRecord? { try await base.project(id: id) }
    public func projects(matching: String?, publicOnly: Bool, offset: Int, limit: Int) async throws -> [ProjectRecord] {
        try await base.projects(matching: matching, publicOnly: publicOnly, offset: offset, limit: limit)
    }
    public func projectCount(matching: String?, publicOnly: Bool) async throws -> Int {
        try await base.projectCount(matching: matching, publicOnly: publicOnly)
    }
    public func setProjectMetadata(projectID: Int64, _ values: [String: String]) async throws {
        try await changing { try await base.setProjectMetadata(projectID: projectID, values) }
    }
    public func deleteProjectMetadata(projectID: Int64, key: String) async throws {
        try await changing { try await base.deleteProjectMetadata(projectID: projectID, key: key) }
    }
    public func setStorageLimit(projectID: Int64, bytes: Int64) async throws {
        try await changing { try await base.setStorageLimit(projectID: projectID, bytes: bytes) }
    }
    public func deleteProject(id: Int64) async throws -> Bool {
        try await changing { try await base.deleteProject(id: id) }
    }

    // MARK: Members

    public func addMember(_ member: MemberRecord) async throws -> MemberRecord {
        try await changing { try await base.addMember(member) }
    }
    public func member(id: Int64) async throws -> MemberRecord? { try await base.member(id: id) }
    public func members(projectID: Int64) async throws -> [MemberRecord] { try await base.members(projectID: projectID) }
    public func memberships(userID: Int64) async throws -> [MemberRecord] { try await base.memberships(userID: userID) }
    public func updateMemberRole(id: Int64, role: Int) async throws -> Bool {
        try await changing { try await base.updateMemberRole(id: id, role: role) }
    }
    public func removeMember(id: Int64) async throws -> Bool {
        try await changing { try await base.removeMember(id: id) }
    }

    // MARK: Robots

    public func createRobot(_ robot: RobotRecord) async throws -> RobotRecord {
        try await changing { try await base.createRobot(robot) }
    }
    public func robot(id: Int64) async throws -> RobotRecord? { try await base.robot(id: id) }
    public func robot(named fullName: String) async throws -> RobotRecord? { try await base.robot(named: fullName) }
    public func robots(projectID: Int64?, level: String?, offset: Int, limit: Int) async throws -> [RobotRecord] {
        try await base.robots(projectID: projectID, level: level, offset: offset, limit: limit)
    }
    public func robotCount(projectID: Int64?, level: String?) async throws -> Int {
        try await base.robotCount(projectID: projectID, level: level)
    }
    public func updateRobot(_ robot: RobotRecord) async throws { try await changing { try await base.updateRobot(robot) } }
    public func setRobotSecret(id: Int64, secretHash: String) async throws {
        try await changing { try await base.setRobotSecret(id: id, secretHash: secretHash) }
    }
    public func deleteRobot(id: Int64) async throws -> Bool { try await changing { try await base.deleteRobot(id: id) } }

    // MARK: Sessions (not cached, and they change no grant)

    public func createSession(_ session: SessionRecord) async throws { try await base.createSession(session) }
    public func session(id: String) async throws -> SessionRecord? { try await base.session(id: id) }
    public func extendSession(id: String, expiresAt: Int64) async throws {
        try await base.extendSession(id: id, expiresAt: expiresAt)
    }
    public func deleteSession(id: String) async throws { try await base.deleteSession(id: id) }
    public func deleteSessions(userID: Int64) async throws { try await base.deleteSessions(userID: userID) }
    public func purgeSessions(expiredBy time: Int64) async throws -> Int { try await base.purgeSessions(expiredBy: time) }

    // MARK: Settings

    public func setting(_ name: String) async throws -> String? { try await base.setting(name) }
    public func setSetting(_ name: String, _ value: String) async throws { try await base.setSetting(name, value) }
    public func insertSettingIfAbsent(_ name: String, _ value: String) async throws -> String {
        try await base.insertSettingIfAbsent(name, value)
    }
}
