/// How Berth finds and checks users in an LDAP directory, with Harbor's configuration keys (`ldap_*`).
/// A login searches `baseDN` (within `scope`, matching `filter` and `uidAttribute=<name>`) as `searchDN`
/// (anonymously when empty), then binds as the entry found with the password given.
public struct LDAPSettings: Sendable, Equatable {
    /// `ldap://host:port` or `ldaps://host:port` (`ldap_url`).
    public var url = ""
    /// The DN that searches the directory; empty for an anonymous search (`ldap_search_dn`).
    public var searchDN = ""
    /// Its password, stored sealed and never listed (`ldap_search_password`).
    public var searchPassword = ""
    /// Where users live (`ldap_base_dn`).
    public var baseDN = ""
    /// An extra filter users must match, e.g. `(objectClass=person)` (`ldap_filter`).
    public var filter = ""
    /// The attribute holding the login name (`ldap_uid`).
    public var uidAttribute = "uid"
    /// 0 base, 1 one level, 2 subtree (`ldap_scope`).
    public var scope = 2
    /// Seconds to wait for the server (`ldap_timeout`).
    public var timeoutSeconds = 5
    /// Whether an `ldaps://` server's certificate must be valid (`ldap_verify_cert`).
    public var verifyCert = true
    /// Members of this group DN become system administrators at login; empty for none (`ldap_group_admin_dn`).
    public var groupAdminDN = ""
    /// The user attribute that lists the user's groups (`ldap_group_membership_attribute`).
    public var groupMembershipAttribute = "memberof"

    public init() {}

    /// Checks the values; the message names the bad key (never a password).
    public func validate(required: Bool) throws(AuthError) {
        if required || !url.isEmpty {
            guard url.hasPrefix("ldap://") || url.hasPrefix("ldaps://"), url.utf8.count > 8 else {
                throw .invalidInput("ldap_url must be an ldap:// or ldaps:// URL")
            }
        }
        if required, baseDN.isEmpty { throw .invalidInput("ldap_base_dn is required when auth_mode is ldap_auth") }
        guard LDAPFilter.isAttributeName(uidAttribute) else { throw .invalidInput("ldap_uid must be an attribute name") }
        guard LDAPFilter.isAttributeName(groupMembershipAttribute) else {
            throw .invalidInput("ldap_group_membership_attribute must be an attribute name")
        }
        guard (0...2).contains(scope) else { throw .invalidInput("ldap_scope must be 0 (base), 1 (one level) or 2 (subtree)") }
        guard (1...60).contains(timeoutSeconds) else { throw .invalidInput("ldap_timeout must be between 1 and 60 seconds") }
        let texts = [("ldap_url", url), ("ldap_search_dn", searchDN), ("ldap_search_password", searchPassword),
                     ("ldap_base_dn", baseDN), ("ldap_filter", filter), ("ldap_group_admin_dn", groupAdminDN)]
        try AuthSettings.checkTexts(texts)
        if !filter.isEmpty {
            var depth = 0
            for character in filter {
                if character == "(" { depth += 1 }
                if character == ")" { depth -= 1 }
                guard depth >= 0 else { throw .invalidInput("ldap_filter has unbalanced parentheses") }
            }
            guard depth == 0 else { throw .invalidInput("ldap_filter has unbalanced parentheses") }
        }
    }
}
