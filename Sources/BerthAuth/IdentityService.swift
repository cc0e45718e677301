import BerthCrypto
import BerthMetadata

/// The rules around the identity store: password policy and hashing, project creation (restriction,
/// default metadata, creator as project admin), robots (naming, expiry, secrets). HTTP-free; the
/// Harbor API, the admin CLI and first start all go through it.
public struct IdentityService: Sendable {
    public let store: any IdentityStore
    public let hasher: PasswordHasher
    public let now: @Sendable () -> Int64

    /// Setting name of `project_creation_restriction` (`everyone` or `adminonly`).
    public static let projectCreationRestrictionKey = "project_creation_restriction"
    /// Harbor's project metadata keys.
    public static let projectMetadataKeys = ["public", "auto_scan", "prevent_vul", "severity", "reuse_sys_cve_allowlist",
                                             "enable_content_trust_cosign", "auto_sbom_generation"]

    public init(store: any IdentityStore, hasher: PasswordHasher = PasswordHasher(),
                now: @escaping @Sendable () -> Int64 = IdentityClock.now) {
        self.store = store
        self.hasher = hasher
        self.now = now
    }

    // MARK: Users

    /// Creates a local user after checking the name and the password policy.
    public func createUser(username: String, password: String, email: String = "", realname: String = "",
                           comment: String = "", isSysadmin: Bool = false) async throws -> UserRecord {
        try Self.validateUsername(username)
        try PasswordPolicy.validate(password)
        if try await store.user(named: username) != nil { throw AuthError.conflict("user \(username) already exists") }
        do {
            return try await store.createUser(UserRecord(username: username, email: email, realname: realname,
                                                         comment: comment, passwordHash: hasher.hash(password),
                                                         isSysadmin: isSysadmin))
        } catch IdentityStoreError.conflict(let message) {
            throw AuthError.conflict(message)
        }
    }

    /// Sets a new password (policy checked) and ends the user's browser sessions.
    public func changePassword(userID: Int64, newPassword: String) async throws {
        try PasswordPolicy.validate(newPassword)
        guard var user = try await store.user(id: userID) else { throw AuthError.notFound("user \(userID)") }
        user.passwordHash = hasher.hash(newPassword)
        try await store.updateUser(user)
        try await store.deleteSessions(userID: userID)
    }

    /// Grants or revokes system administrator.
    public func setSysadmin(userID: Int64, _ value: Bool) async throws {
        guard var user = try await store.user(id: userID) else { throw AuthError.notFound("user \(userID)") }
        user.isSysadmin = value
        try await store.updateUser(user)
    }

    /// Disables or re-enables a user; disabling ends their sessions.
    public func setDisabled(userID: Int64, _ value: Bool) async throws {
        guard var user = try await store.user(id: userID) else { throw AuthError.notFound("user \(userID)") }
        user.isDisabled = value
        try await store.updateUser(user)
        if value { try await store.deleteSessions(userID: userID) }
    }

    /// The user when `password` is theirs and they are enabled; nil otherwise. This is the slow path
    /// (PBKDF2); callers on the request path go through `Authenticator`, which caches.
    public func verifyPassword(username: String, password: String) async throws -> UserRecord? {
        guard let user = try await store.user(named: username), !user.isDisabled, let hash = user.passwordHash else {
            // Spend comparable time so that unknown names cannot be told from wrong passwords.
            _ = PasswordHasher.verify(password, against: Self.decoyHash)
            return nil
        }
        return PasswordHasher.verify(password, against: hash) ? user : nil
    }

    private static let decoyHash = PasswordHasher().hash("decoy-Password-1")

    /// Harbor's username rule: 1 to 255 characters, none of `,"~#$%:` or control characters.
    public static func validateUsername(_ name: String) throws(AuthError) {
        guard !name.isEmpty, name.count <= 255, !name.hasPrefix(RobotName.prefix) else {
            throw .invalidInput("invalid username")
        }
        for scalar in name.unicodeScalars where ",\"~#$%:/ ".unicodeScalars.contains(scalar) || scalar.value < 0x20 {
            throw .invalidInput("the username contains an invalid character")
        }
    }

    // MARK: Projects

    /// The `project_creation_restriction` setting (`everyone` by default).
    public func projectCreationRestriction() async throws -> String {
        try await store.setting(Self.projectCreationRestrictionKey) ?? "everyone"
    }

    public func setProjectCreationRestriction(_ value: String) async throws {
        guard value == "everyone" || value == "adminonly" else {
            throw AuthError.invalidInput("project_creation_restriction must be everyone or adminonly")
        }
        try await store.setSetting(Self.projectCreationRestrictionKey, value)
    }

    /// Creates a project for `creator`: checks the name and the creation restriction, fills Harbor's
    /// default metadata, and makes a user creator its project admin.
    public func createProject(name: String, creator: Principal, isPublic: Bool = false,
                              metadata: [String: String] = [:], storageLimit: Int64 = -1) async throws -> ProjectRecord {
        try Self.validateProjectName(name)
        let ownerID: Int64
        switch creator {
        case .user(let user):
            if !user.isSysadmin, try await projectCreationRestriction() == "adminonly" {
                throw AuthError.forbidden("only system administrators may create projects")
            }
            ownerID = user.id
        case .robot(let robot):
            guard robot.allowsSystem(Permission(Permission.Resource.project, Permission.Action.create)) else {
                throw AuthError.forbidden("this robot may not create projects")
            }
            ownerID = 1
        case .anonymous:
            throw AuthError.unauthorized("login required")
        }
        var values = ["public": isPublic ? "true" : "false"]
        for (key, value) in metadata where Self.projectMetadataKeys.contains(key) { values[key] = value }
        let project: ProjectRecord
        do {
            project = try await store.createProject(ProjectRecord(name: name, ownerID: ownerID, metadata: values,
                                                                  storageLimit: storageLimit))
        } catch IdentityStoreError.conflict(let message) {
            throw AuthError.conflict(message)
        }
        if case .user(let user) = creator {
            _ = try await store.addMember(MemberRecord(projectID: project.id, entityID: user.id,
                                                       role: ProjectRole.projectAdmin.rawValue))
        }
        return project
    }

    /// Harbor's project name rule: 1 to 255 of lowercase letters, digits and `._-`, starting and ending
    /// with a letter or digit.
    public static func validateProjectName(_ name: String) throws(AuthError) {
        let scalars = Array(name.unicodeScalars)
        func alnum(_ s: Unicode.Scalar) -> Bool { (s >= "a" && s <= "z") || (s >= "0" && s <= "9") }
        guard let first = scalars.first, let last = scalars.last, scalars.count <= 255, alnum(first), alnum(last),
              scalars.allSatisfy({ alnum($0) || $0 == "." || $0 == "_" || $0 == "-" }) else {
            throw .invalidInput("invalid project name \(name)")
        }
    }

    /// Adds a user to a project with a role.
    public func addMember(projectID: Int64, userID: Int64, role: ProjectRole) async throws -> MemberRecord {
        guard try await store.user(id: userID) != nil else { throw AuthError.notFound("user \(userID)") }
        do {
            return try await store.addMember(MemberRecord(projectID: projectID, entityID: userID, role: role.rawValue))
        } catch IdentityStoreError.conflict(let message) {
            throw AuthError.conflict(message)
        }
    }
}
