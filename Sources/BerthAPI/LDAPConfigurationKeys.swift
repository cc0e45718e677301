import BerthAuth

/// Harbor's `ldap_*` configuration keys, read from `PUT /configurations` and listed by `GET`.
enum LDAPConfigurationKeys {
    /// The keys whose value differs between `old` and `new` (the password by name only).
    static func changed(_ old: LDAPSettings, _ new: LDAPSettings) -> [String] {
        let pairs: [(String, Bool)] = [
            ("ldap_url", old.url != new.url), ("ldap_search_dn", old.searchDN != new.searchDN),
            ("ldap_search_password", old.searchPassword != new.searchPassword), ("ldap_base_dn", old.baseDN != new.baseDN),
            ("ldap_filter", old.filter != new.filter), ("ldap_uid", old.uidAttribute != new.uidAttribute),
            ("ldap_scope", old.scope != new.scope), ("ldap_timeout", old.timeoutSeconds != new.timeoutSeconds),
            ("ldap_verify_cert", old.verifyCert != new.verifyCert),
            ("ldap_group_admin_dn", old.groupAdminDN != new.groupAdminDN),
            ("ldap_group_membership_attribute", old.groupMembershipAttribute != new.groupMembershipAttribute),
        ]
        return pairs.filter(\.1).map(\.0)
    }
}

extension HarborAPI.ConfigurationUpdate {
    /// Whether the update names any LDAP key.
    var touchesLDAP: Bool {
        let texts: [String?] = [ldap_url, ldap_search_dn, ldap_search_password, ldap_base_dn, ldap_filter, ldap_uid,
                                ldap_group_admin_dn, ldap_group_membership_attribute]
        return texts.contains { $0 != nil } || ldap_scope != nil || ldap_timeout != nil || ldap_verify_cert != nil
    }

    /// Copies the LDAP keys the update names into `ldap`.
    func apply(to ldap: inout LDAPSettings) {
        if let value = ldap_url { ldap.url = value }
        if let value = ldap_search_dn { ldap.searchDN = value }
        if let value = ldap_search_password, !value.isEmpty { ldap.searchPassword = value }
        if let value = ldap_base_dn { ldap.baseDN = value }
        if let value = ldap_filter { ldap.filter = value }
        if let value = ldap_uid { ldap.uidAttribute = value }
        if let value = ldap_scope { ldap.scope = value }
        if let value = ldap_timeout { ldap.timeoutSeconds = value }
        if let value = ldap_verify_cert { ldap.verifyCert = value }
        if let value = ldap_group_admin_dn { ldap.groupAdminDN = value }
        if let value = ldap_group_membership_attribute { ldap.groupMembershipAttribute = value }
    }
}

extension HarborAPI.ConfigurationListing {
    /// Fills in the LDAP settings (never the search password).
    mutating func describe(_ ldap: LDAPSettings) {
        ldap_url = .init(value: ldap.url, editable: true)
        ldap_search_dn = .init(value: ldap.searchDN, editable: true)
        ldap_base_dn = .init(value: ldap.baseDN, editable: true)
        ldap_filter = .init(value: ldap.filter, editable: true)
        ldap_uid = .init(value: ldap.uidAttribute, editable: true)
        ldap_scope = .init(value: ldap.scope, editable: true)
        ldap_timeout = .init(value: ldap.timeoutSeconds, editable: true)
        ldap_verify_cert = .init(value: ldap.verifyCert, editable: true)
        ldap_group_admin_dn = .init(value: ldap.groupAdminDN, editable: true)
        ldap_group_membership_attribute = .init(value: ldap.groupMembershipAttribute, editable: true)
    }
}
