import BerthCrypto
import BerthMetadata
import FoundationEssentials

/// The live authentication settings, kept in the identity database's system settings so that every
/// node of a cluster sees a change at once.
///
/// Precedence: until an administrator changes them through the API, the settings are `initial` (from
/// the configuration file and environment). The first change stores the complete settings in the
/// database, and from then on the database wins: later edits of the file's `oidc` section no longer
/// apply (`isStored` tells which source is in use).
///
/// The OIDC client secret and the LDAP search password are sealed (`CLISecretCipher`, under a key derived from the cluster's OIDC server
/// key) before it is stored, and the API never returns it.
public struct AuthSettingsStore: Sendable {
    /// The system setting that holds the stored settings (JSON).
    public static let settingName = "auth.settings"

    let store: any IdentityStore
    let cipher: CLISecretCipher
    /// The settings in force until the first change through the API.
    public let initial: AuthSettings
    /// Berth's OIDC callback URL (`<external URL>/c/oidc/callback` or the configured one); nil when
    /// neither is known, and then single sign-on cannot be switched on.
    public let redirectURL: String?

    /// Settings in `store`; `serverKey` (at least 32 bytes, the cluster's OIDC server key) seals the
    /// client secret.
    public init(store: any IdentityStore, serverKey: [UInt8], initial: AuthSettings, redirectURL: String?) {
        self.store = store
        cipher = CLISecretCipher(serverKey: HMAC.sha256(key: serverKey, message: "berth oidc-client-secret v1"))
        self.initial = initial
        self.redirectURL = redirectURL.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The settings in force: the stored ones, else `initial`.
    public func current() async throws -> AuthSettings {
        guard let text = try await store.setting(Self.settingName) else { return initial }
        return try decode(text)
    }

    /// Whether the settings come from the database (changed through the API at least once).
    public func isStored() async throws -> Bool {
        try await store.setting(Self.settingName) != nil
    }

    /// Validates `settings` and stores them as the settings of every node.
    public func save(_ settings: AuthSettings) async throws {
        try settings.validate()
        if settings.usesOIDC, redirectURL == nil {
            throw AuthError.invalidInput("single sign-on needs Berth's external URL: set BERTH_EXTERNAL_URL "
                                         + "or oidc.redirectURL in the configuration file")
        }
        try await store.setSetting(Self.settingName, encode(settings))
    }

    /// The stored form: Harbor's key names, the secret sealed.
    struct Stored: Codable {
        var version = 1
        var auth_mode: String
        var oidc_name: String
        var oidc_endpoint: String
        var oidc_client_id: String
        var oidc_client_secret_sealed: String
        var oidc_scope: String
        var oidc_user_claim: String
        var oidc_groups_claim: String
        var oidc_admin_group: String
        var oidc_verify_cert: Bool
        var oidc_auto_onboard: Bool
        /// Absent in settings stored before LDAP existed.
        var ldap: StoredLDAP?
    }

    struct StoredLDAP: Codable {
        var ldap_url: String
        var ldap_search_dn: String
        var ldap_search_password_sealed: String
        var ldap_base_dn: String
        var ldap_filter: String
        var ldap_uid: String
        var ldap_scope: Int
        var ldap_timeout: Int
        var ldap_verify_cert: Bool
        var ldap_group_admin_dn: String
        var ldap_group_membership_attribute: String
    }

    func encode(_ settings: AuthSettings) throws -> String {
        let stored = Stored(auth_mode: settings.mode.rawValue, oidc_name: settings.oidcName,
                            oidc_endpoint: settings.endpoint, oidc_client_id: settings.clientID,
                            oidc_client_secret_sealed: settings.clientSecret.isEmpty ? "" : cipher.seal(settings.clientSecret),
                            oidc_scope: settings.scope, oidc_user_claim: settings.userClaim,
                            oidc_groups_claim: settings.groupsClaim, oidc_admin_group: settings.adminGroup,
                            oidc_verify_cert: settings.verifyCert, oidc_auto_onboard: settings.autoOnboard,
                            ldap: storedLDAP(settings.ldap))
        return String(decoding: try JSONEncoder().encode(stored), as: UTF8.self)
    }

    /// Reads stored settings. A secret sealed under another server key reads as empty (logins then fail at
    /// the provider's token endpoint until an administrator sets the secret again).
    func decode(_ text: String) throws -> AuthSettings {
        let stored: Stored
        do {
            stored = try JSONDecoder().decode(Stored.self, from: Data(text.utf8))
        } catch {
            throw MetadataError.corrupt("setting \(Self.settingName) is not readable: \(error)")
        }
        guard let mode = AuthSettings.Mode(rawValue: stored.auth_mode) else {
            throw MetadataError.corrupt("setting \(Self.settingName) has an unknown auth_mode")
        }
        var settings = AuthSettings()
        settings.mode = mode
        settings.oidcName = stored.oidc_name
        settings.endpoint = stored.oidc_endpoint
        settings.clientID = stored.oidc_client_id
        settings.clientSecret = stored.oidc_client_secret_sealed.isEmpty ? "" : (cipher.open(stored.oidc_client_secret_sealed) ?? "")
        settings.scope = stored.oidc_scope
        settings.userClaim = stored.oidc_user_claim
        settings.groupsClaim = stored.oidc_groups_claim
        settings.adminGroup = stored.oidc_admin_group
        settings.verifyCert = stored.oidc_verify_cert
        settings.autoOnboard = stored.oidc_auto_onboard
        if let ldap = stored.ldap { settings.ldap = ldapSettings(ldap) }
        return settings
    }

    func storedLDAP(_ ldap: LDAPSettings) -> StoredLDAP {
        StoredLDAP(ldap_url: ldap.url, ldap_search_dn: ldap.searchDN,
                   ldap_search_password_sealed: ldap.searchPassword.isEmpty ? "" : cipher.seal(ldap.searchPassword),
                   ldap_base_dn: ldap.baseDN, ldap_filter: ldap.filter, ldap_uid: ldap.uidAttribute,
                   ldap_scope: ldap.scope, ldap_timeout: ldap.timeoutSeconds, ldap_verify_cert: ldap.verifyCert,
                   ldap_group_admin_dn: ldap.groupAdminDN, ldap_group_membership_attribute: ldap.groupMembershipAttribute)
    }

    func ldapSettings(_ stored: StoredLDAP) -> LDAPSettings {
        var ldap = LDAPSettings()
        ldap.url = stored.ldap_url
        ldap.searchDN = stored.ldap_search_dn
        ldap.searchPassword = stored.ldap_search_password_sealed.isEmpty ? "" : (cipher.open(stored.ldap_search_password_sealed) ?? "")
        ldap.baseDN = stored.ldap_base_dn
        ldap.filter = stored.ldap_filter
        ldap.uidAttribute = stored.ldap_uid
        ldap.scope = stored.ldap_scope
        ldap.timeoutSeconds = stored.ldap_timeout
        ldap.verifyCert = stored.ldap_verify_cert
        ldap.groupAdminDN = stored.ldap_group_admin_dn
        ldap.groupMembershipAttribute = stored.ldap_group_membership_attribute
        return ldap
    }
}
