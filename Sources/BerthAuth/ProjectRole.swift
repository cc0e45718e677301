/// Harbor's project roles with Harbor's numeric ids.
public enum ProjectRole: Int, Sendable, CaseIterable, Comparable {
    case projectAdmin = 1
    case developer = 2
    case guest = 3
    case maintainer = 4
    case limitedGuest = 5

    /// Harbor's role name (`projectAdmin`, `maintainer`, …).
    public var name: String {
        switch self {
        case .projectAdmin: return "projectAdmin"
        case .developer: return "developer"
        case .guest: return "guest"
        case .maintainer: return "maintainer"
        case .limitedGuest: return "limitedGuest"
        }
    }

    /// The role with Harbor's name, if any.
    public init?(name: String) {
        guard let role = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = role
    }

    /// Ordered by privilege: limitedGuest < guest < developer < maintainer < projectAdmin.
    var rank: Int {
        switch self {
        case .limitedGuest: return 0
        case .guest: return 1
        case .developer: return 2
        case .maintainer: return 3
        case .projectAdmin: return 4
        }
    }

    public static func < (lhs: ProjectRole, rhs: ProjectRole) -> Bool { lhs.rank < rhs.rank }
}
