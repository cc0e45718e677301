import BerthMetadata

/// Who is making a request, after authentication.
public enum Principal: Sendable, Equatable {
    case anonymous
    case user(UserPrincipal)
    case robot(RobotPrincipal)

    /// The name recorded in logs and tokens (`anonymous`, the username, or `robot$…`).
    public var name: String {
        switch self {
        case .anonymous: return "anonymous"
        case .user(let user): return user.username
        case .robot(let robot): return robot.name
        }
    }

    /// Whether this is a system administrator.
    public var isSysadmin: Bool {
        if case .user(let user) = self { return user.isSysadmin }
        return false
    }
}

/// An authenticated user.
public struct UserPrincipal: Sendable, Equatable {
    public let id: Int64
    public let username: String
    public let isSysadmin: Bool
    /// How the user proved who they are: `password`, `session`, `token`, `cli_secret`.
    public let method: String

    public init(id: Int64, username: String, isSysadmin: Bool, method: String) {
        self.id = id
        self.username = username
        self.isSysadmin = isSysadmin
        self.method = method
    }
}

/// An authenticated robot with its grants.
public struct RobotPrincipal: Sendable, Equatable {
    public let id: Int64
    /// The full name, `robot$…`.
    public let name: String
    /// `system` or `project`.
    public let level: String
    public let projectID: Int64?
    public let permissions: [RobotPermission]

    public init(id: Int64, name: String, level: String, projectID: Int64?, permissions: [RobotPermission]) {
        self.id = id
        self.name = name
        self.level = level
        self.projectID = projectID
        self.permissions = permissions
    }

    /// Whether a grant covers `permission` in the project named `project` (`*` matches every project).
    /// As in Harbor, a grant to push a repository also grants pulling it.
    public func allows(_ permission: Permission, inProject project: String) -> Bool {
        permissions.contains { grant in
            grant.kind == "project" && (grant.namespace == project || grant.namespace == "*")
                && grant.access.contains { access in
                    access.effect != "deny" && access.resource == permission.resource
                        && (access.action == permission.action
                            || (permission == .pull && access.action == Permission.Action.push))
                }
        }
    }

    /// Whether a system-level grant covers `permission`.
    public func allowsSystem(_ permission: Permission) -> Bool {
        permissions.contains { grant in
            grant.kind == "system" && grant.access.contains { $0.resource == permission.resource
                && $0.action == permission.action && $0.effect != "deny" }
        }
    }
}
