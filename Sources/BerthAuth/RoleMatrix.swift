/// Harbor's project role matrix: which role may do what inside a project. Written as a table of
/// `resource: action -> least roles` so that every role x action pair is listed once.
public enum RoleMatrix {
    /// Role sets, from the roles' letters: A projectAdmin, M maintainer, D developer, G guest, L limitedGuest.
    private static let table: [(String, String, String)] = [
        // (resource, action, roles)
        ("project", "read", "AMDGL"), ("project", "update", "A"), ("project", "delete", "A"),
        ("member", "create", "A"), ("member", "read", "AMDG"), ("member", "update", "A"),
        ("member", "delete", "A"), ("member", "list", "AMDG"),
        ("metadata", "create", "AM"), ("metadata", "read", "AM"), ("metadata", "update", "AM"), ("metadata", "delete", "AM"),
        ("log", "list", "AMDG"),
        ("label", "create", "AM"), ("label", "read", "AMDG"), ("label", "update", "AM"), ("label", "delete", "AM"),
        ("label", "list", "AMDG"),
        ("quota", "read", "AMDGL"),
        ("repository", "create", "AMD"), ("repository", "read", "AMDG"), ("repository", "update", "AMD"),
        ("repository", "delete", "AM"), ("repository", "list", "AMDGL"), ("repository", "pull", "AMDGL"),
        ("repository", "push", "AMD"),
        ("tag-retention", "create", "AMD"), ("tag-retention", "read", "AMD"), ("tag-retention", "update", "AMD"),
        ("tag-retention", "delete", "AMD"), ("tag-retention", "list", "AMD"), ("tag-retention", "operate", "AMD"),
        ("immutable-tag", "create", "AM"), ("immutable-tag", "update", "AM"), ("immutable-tag", "delete", "AM"),
        ("immutable-tag", "list", "AM"),
        ("configuration", "read", "AMDGL"), ("configuration", "update", "A"),
        ("robot", "create", "A"), ("robot", "read", "AMDG"), ("robot", "update", "A"), ("robot", "delete", "A"),
        ("robot", "list", "AMDG"),
        ("notification-policy", "create", "A"), ("notification-policy", "update", "A"),
        ("notification-policy", "delete", "A"), ("notification-policy", "list", "AM"), ("notification-policy", "read", "A"),
        ("scan", "create", "AM"), ("scan", "read", "AMDGL"), ("scan", "stop", "AM"),
        ("scanner", "read", "AMDGL"), ("scanner", "create", "A"),
        ("artifact", "create", "AMD"), ("artifact", "read", "AMDGL"), ("artifact", "delete", "AM"),
        ("artifact", "list", "AMDGL"),
        ("artifact-addition", "read", "AMDGL"),
        ("tag", "list", "AMDGL"), ("tag", "create", "AMD"), ("tag", "delete", "AM"),
        ("accessory", "list", "AMDGL"),
        ("artifact-label", "create", "AMD"), ("artifact-label", "delete", "AMD"),
        ("preheat-policy", "create", "A"), ("preheat-policy", "read", "A"), ("preheat-policy", "update", "A"),
        ("preheat-policy", "delete", "A"), ("preheat-policy", "list", "A"),
    ]

    private static let letters: [Character: ProjectRole] = [
        "A": .projectAdmin, "M": .maintainer, "D": .developer, "G": .guest, "L": .limitedGuest,
    ]

    private static let grants: [ProjectRole: Set<Permission>] = {
        var grants: [ProjectRole: Set<Permission>] = [:]
        for role in ProjectRole.allCases { grants[role] = [] }
        for (resource, action, roles) in table {
            for letter in roles { grants[letters[letter]!]!.insert(Permission(resource, action)) }
        }
        return grants
    }()

    /// What anyone (anonymous included) may do in a public project.
    public static let publicAccess: Set<Permission> = [
        Permission("repository", "pull"), Permission("repository", "list"), Permission("repository", "read"),
        Permission("artifact", "read"), Permission("artifact", "list"), Permission("artifact-addition", "read"),
        Permission("tag", "list"), Permission("accessory", "list"), Permission("label", "read"), Permission("label", "list"),
        Permission("project", "read"), Permission("scan", "read"),
    ]

    /// Every permission the matrix knows, for tests and the permissions API.
    public static var allPermissions: [Permission] { table.map { Permission($0.0, $0.1) } }

    /// Whether `role` grants `permission`.
    public static func allows(_ role: ProjectRole, _ permission: Permission) -> Bool {
        grants[role]?.contains(permission) ?? false
    }

    /// Every permission of `role`.
    public static func permissions(of role: ProjectRole) -> Set<Permission> { grants[role] ?? [] }
}
