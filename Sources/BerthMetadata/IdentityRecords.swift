// Plain stored rows of the identity tables. Data only: the rules (password policy, roles, robot
// naming, expiry) live in BerthAuth.

/// A user account as stored.
public struct UserRecord: Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var email: String
    public var realname: String
    public var comment: String
    /// The password hash (`PasswordHasher` format); nil for accounts without a local password (OIDC).
    public var passwordHash: String?
    public var isSysadmin: Bool
    public var isDisabled: Bool
    /// `local` or `oidc`.
    public var source: String
    /// The OIDC `iss|sub` of an onboarded user.
    public var oidcSubject: String?
    /// The OIDC CLI secret as the OIDC code stores it (it may encrypt it).
    public var cliSecret: String?
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(id: Int64 = 0, username: String, email: String = "", realname: String = "", comment: String = "",
                passwordHash: String? = nil, isSysadmin: Bool = false, isDisabled: Bool = false,
                source: String = "local", oidcSubject: String? = nil, cliSecret: String? = nil,
                createdAt: Int64 = 0, updatedAt: Int64 = 0) {
        self.id = id
        self.username = username
        self.email = email
        self.realname = realname
        self.comment = comment
        self.passwordHash = passwordHash
        self.isSysadmin = isSysadmin
        self.isDisabled = isDisabled
        self.source = source
        self.oidcSubject = oidcSubject
        self.cliSecret = cliSecret
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A project as stored, with its Harbor metadata (`public`, `auto_scan`, … as strings).
public struct ProjectRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var ownerID: Int64
    /// Metadata keys to string values (Harbor stores `"true"`/`"false"`).
    public var metadata: [String: String]
    /// Storage quota in bytes; -1 means unlimited.
    public var storageLimit: Int64
    public var createdAt: Int64
    public var updatedAt: Int64

    /// Whether the `public` metadata is `"true"`.
    public var isPublic: Bool { metadata["public"] == "true" }

    public init(id: Int64 = 0, name: String, ownerID: Int64, metadata: [String: String] = [:],
                storageLimit: Int64 = -1, createdAt: Int64 = 0, updatedAt: Int64 = 0) {
        self.id = id
        self.name = name
        self.ownerID = ownerID
        self.metadata = metadata
        self.storageLimit = storageLimit
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A project membership: a user (`u`) or group (`g`) with a Harbor role id (1…5).
public struct MemberRecord: Sendable, Equatable {
    public var id: Int64
    public var projectID: Int64
    public var entityID: Int64
    /// `u` for a user, `g` for a group.
    public var entityType: String
    public var role: Int
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(id: Int64 = 0, projectID: Int64, entityID: Int64, entityType: String = "u", role: Int,
                createdAt: Int64 = 0, updatedAt: Int64 = 0) {
        self.id = id
        self.projectID = projectID
        self.entityID = entityID
        self.entityType = entityType
        self.role = role
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One `{resource, action}` grant of a robot.
public struct RobotAccess: Sendable, Equatable, Hashable {
    public var resource: String
    public var action: String
    /// `allow` (Harbor also knows `deny`, unused here).
    public var effect: String

    public init(resource: String, action: String, effect: String = "allow") {
        self.resource = resource
        self.action = action
        self.effect = effect
    }
}

/// A robot's grants in one namespace: kind `project` with a project name (or `*`), or kind `system`
/// with namespace `/`.
public struct RobotPermission: Sendable, Equatable {
    public var kind: String
    public var namespace: String
    public var access: [RobotAccess]

    public init(kind: String, namespace: String, access: [RobotAccess]) {
        self.kind = kind
        self.namespace = namespace
        self.access = access
    }
}

/// A robot account as stored. `name` is the full name (`robot$name` or `robot$project+name`).
public struct RobotRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var description: String
    /// Hash of the secret (`PasswordHasher` format); the secret itself is never stored.
    public var secretHash: String
    /// `system` or `project`.
    public var level: String
    public var projectID: Int64?
    /// The requested lifetime in days; -1 means never expires.
    public var durationDays: Int64
    /// Epoch seconds after which the robot is refused; -1 means never.
    public var expiresAt: Int64
    public var isDisabled: Bool
    public var creator: String
    public var permissions: [RobotPermission]
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(id: Int64 = 0, name: String, description: String = "", secretHash: String, level: String,
                projectID: Int64? = nil, durationDays: Int64 = -1, expiresAt: Int64 = -1, isDisabled: Bool = false,
                creator: String = "", permissions: [RobotPermission] = [], createdAt: Int64 = 0, updatedAt: Int64 = 0) {
        self.id = id
        self.name = name
        self.description = description
        self.secretHash = secretHash
        self.level = level
        self.projectID = projectID
        self.durationDays = durationDays
        self.expiresAt = expiresAt
        self.isDisabled = isDisabled
        self.creator = creator
        self.permissions = permissions
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A browser session. `id` is the SHA-256 (hex) of the cookie value, never the value itself.
public struct SessionRecord: Sendable, Equatable {
    public var id: String
    public var userID: Int64
    public var csrfToken: String
    public var remoteAddress: String
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(id: String, userID: Int64, csrfToken: String, remoteAddress: String, createdAt: Int64, expiresAt: Int64) {
        self.id = id
        self.userID = userID
        self.csrfToken = csrfToken
        self.remoteAddress = remoteAddress
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
