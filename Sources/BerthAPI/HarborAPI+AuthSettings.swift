import BerthAuth
import BerthCore

extension HarborAPI {
    /// This API with the authentication mode and OIDC settings readable and changeable through
    /// `/configurations`, and the live mode in `/systeminfo`.
    public func controllingAuthentication(_ store: AuthSettingsStore) -> HarborAPI {
        var api = self
        api.authSettings = store
        return api
    }

    /// Applies the `auth_mode` and `oidc_*` keys of `update` (all or nothing) and returns the keys whose
    /// value changed, for the audit log. Throws 400 for invalid values and for LDAP.
    func applyAuthentication(_ update: ConfigurationUpdate) async throws -> [String] {
        guard update.touchesAuthentication else { return [] }
        guard let authSettings else {
            throw HarborError.badRequest("the authentication settings cannot be changed here")
        }
        let before = try await authSettings.current()
        var next = before
        if let text = update.auth_mode {
            guard let mode = AuthSettings.Mode(rawValue: text) else {
                throw HarborError.badRequest("auth_mode must be db_auth, oidc_auth or ldap_auth")
            }
            next.mode = mode
        }
        if let value = update.oidc_name { next.oidcName = value }
        if let value = update.oidc_endpoint { next.endpoint = value }
        if let value = update.oidc_client_id { next.clientID = value }
        if let value = update.oidc_client_secret, !value.isEmpty { next.clientSecret = value }
        if let value = update.oidc_scope { next.scope = value }
        if let value = update.oidc_user_claim { next.userClaim = value }
        if let value = update.oidc_groups_claim { next.groupsClaim = value }
        if let value = update.oidc_admin_group { next.adminGroup = value }
        if let value = update.oidc_verify_cert { next.verifyCert = value }
        if let value = update.oidc_auto_onboard { next.autoOnboard = value }
        update.apply(to: &next.ldap)
        let changed = Self.changedKeys(before, next)
        guard !changed.isEmpty else { return [] }
        try await authSettings.save(next)
        if before.mode != next.mode { Log.info("authentication mode changed to \(next.mode.rawValue)") }
        Log.info("authentication settings changed: \(changed.joined(separator: ", "))")
        return changed
    }

    /// Harbor's names of the settings that differ between `old` and `new` (the secret by name only).
    static func changedKeys(_ old: AuthSettings, _ new: AuthSettings) -> [String] {
        var keys: [String] = []
        func note(_ key: String, _ differs: Bool) { if differs { keys.append(key) } }
        note("auth_mode", old.mode != new.mode)
        note("oidc_name", old.oidcName != new.oidcName)
        note("oidc_endpoint", old.endpoint != new.endpoint)
        note("oidc_client_id", old.clientID != new.clientID)
        note("oidc_client_secret", old.clientSecret != new.clientSecret)
        note("oidc_scope", old.scope != new.scope)
        note("oidc_user_claim", old.userClaim != new.userClaim)
        note("oidc_groups_claim", old.groupsClaim != new.groupsClaim)
        note("oidc_admin_group", old.adminGroup != new.adminGroup)
        note("oidc_verify_cert", old.verifyCert != new.verifyCert)
        note("oidc_auto_onboard", old.autoOnboard != new.autoOnboard)
        return keys + LDAPConfigurationKeys.changed(old.ldap, new.ldap)
    }
}

extension HarborAPI.ConfigurationUpdate {
    /// Whether the update names any authentication key.
    var touchesAuthentication: Bool {
        let texts: [String?] = [auth_mode, oidc_name, oidc_endpoint, oidc_client_id, oidc_client_secret, oidc_scope,
                                oidc_user_claim, oidc_groups_claim, oidc_admin_group]
        return texts.contains { $0 != nil } || oidc_verify_cert != nil || oidc_auto_onboard != nil || touchesLDAP
    }
}

extension HarborAPI.ConfigurationListing {
    /// Fills in the live authentication settings (never the client secret). Certificate verification and
    /// automatic onboarding are fixed in Berth, so they are listed as not editable.
    mutating func describe(_ settings: AuthSettings) {
        auth_mode = .init(value: settings.mode.rawValue, editable: true)
        oidc_name = .init(value: settings.oidcName, editable: true)
        oidc_endpoint = .init(value: settings.endpoint, editable: true)
        oidc_client_id = .init(value: settings.clientID, editable: true)
        oidc_scope = .init(value: settings.scope, editable: true)
        oidc_user_claim = .init(value: settings.userClaim, editable: true)
        oidc_groups_claim = .init(value: settings.groupsClaim, editable: true)
        oidc_admin_group = .init(value: settings.adminGroup, editable: true)
        oidc_verify_cert = .init(value: settings.verifyCert, editable: false)
        oidc_auto_onboard = .init(value: settings.autoOnboard, editable: false)
        describe(settings.ldap)
    }
}
