import BerthMetadata

/// Answers "may principal P do action A on resource R in project X". System administrators may do
/// everything; members get their role's grants (`RoleMatrix`); robots get exactly their grants;
/// anyone, anonymous and robots included, gets `RoleMatrix.publicAccess` in a public project.
public struct AccessDecider: Sendable {
    public let store: any IdentityStore

    public init(store: any IdentityStore) {
        self.store = store
    }

    /// Whether `principal` may do `permission` in `project`.
    public func allows(_ principal: Principal, _ permission: Permission, in project: ProjectRecord) async throws -> Bool {
        switch principal {
        case .user(let user) where user.isSysadmin:
            return true
        case .robot(let robot):
            // Harbor gives robots their grants plus the read access everyone has to a public project.
            return robot.allows(permission, inProject: project.name)
                || (project.isPublic && RoleMatrix.publicAccess.contains(permission))
        default:
            if project.isPublic && RoleMatrix.publicAccess.contains(permission) { return true }
            guard let role = try await role(of: principal, in: project) else { return false }
            return RoleMatrix.allows(role, permission)
        }
    }

    /// Whether `principal` may do `permission` in the project named `name`; false when it does not exist
    /// (so a push into a missing project is denied, as in Harbor).
    public func allows(_ principal: Principal, _ permission: Permission, inProjectNamed name: String) async throws -> Bool {
        guard let project = try await store.project(named: name) else { return false }
        return try await allows(principal, permission, in: project)
    }

    /// The member role of a user in a project (nil for non-members, anonymous and robots).
    public func role(of principal: Principal, in project: ProjectRecord) async throws -> ProjectRole? {
        guard case .user(let user) = principal,
              let member = try await store.member(projectID: project.id, userID: user.id) else { return nil }
        return ProjectRole(rawValue: member.role)
    }

    /// Every project permission `principal` holds in `project` (for `/users/current/permissions`).
    public func permissions(of principal: Principal, in project: ProjectRecord) async throws -> Set<Permission> {
        if principal.isSysadmin { return Set(RoleMatrix.allPermissions) }
        var granted: Set<Permission> = project.isPublic ? RoleMatrix.publicAccess : []
        if case .robot(let robot) = principal {
            return granted.union(RoleMatrix.allPermissions.filter { robot.allows($0, inProject: project.name) })
        }
        if let role = try await role(of: principal, in: project) { granted.formUnion(RoleMatrix.permissions(of: role)) }
        return granted
    }

    /// Whether `principal` may do a system-level `permission` (users, configuration, audit logs, robots
    /// of kind system, the catalog): system administrators, and robots with a matching system grant.
    public func allowsSystem(_ principal: Principal, _ permission: Permission) -> Bool {
        switch principal {
        case .user(let user): return user.isSysadmin
        case .robot(let robot): return robot.allowsSystem(permission)
        case .anonymous: return false
        }
    }
}
