/// A user found in the directory.
public struct LDAPUser: Sendable, Equatable {
    public let dn: String
    /// The value of the uid attribute, as the directory spells it.
    public let username: String
    public let email: String
    public let realname: String
    /// The DNs listed in the group membership attribute.
    public let groups: [String]

    public init(dn: String, username: String, email: String, realname: String, groups: [String]) {
        self.dn = dn
        self.username = username
        self.email = email
        self.realname = realname
        self.groups = groups
    }

    /// Whether the user is in `groupDN` (DNs compared without case or spaces after commas).
    public func isMember(of groupDN: String) -> Bool {
        let wanted = Self.normalized(groupDN)
        return !wanted.isEmpty && groups.contains { Self.normalized($0) == wanted }
    }

    static func normalized(_ dn: String) -> String {
        dn.split(separator: ",").map { String($0).trimmingSpaces.lowercased() }.joined(separator: ",")
    }
}
