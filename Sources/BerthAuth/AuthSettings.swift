/// How users log in to the portal, and the OpenID Connect provider used when that is single sign-on.
/// Administrators change it at run time (`AuthSettingsStore`); the configuration file gives the initial
/// value. Local logins (`POST /c/login`, Basic credentials) keep working in either mode, so the local
/// `admin` can always get in even when the provider is unreachable.
public struct AuthSettings: Sendable, Equatable {
    /// The authentication mode, with Harbor's names.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        /// Users and passwords in Berth's database.
        case database = "db_auth"
        /// OpenID Connect single sign-on (local logins stay available, as in Harbor).
        case oidc = "oidc_auth"
        /// Passwords checked against an LDAP directory (local accounts keep working, as with OIDC).
        case ldap = "ldap_auth"
    }

    public var mode: Mode = .database
    /// The provider's display name ("Login via <name>").
    public var oidcName = ""
    /// The issuer URL; discovery is read below it.
    public var endpoint = ""
    public var clientID = ""
    /// Never shown by the API; stored sealed.
    public var clientSecret = ""
    /// Scopes, separated by spaces or commas; `openid` is always requested.
    public var scope = "openid profile email"
    /// The claim naming a new user (`sub` when absent from the token).
    public var userClaim = "preferred_username"
    public var groupsClaim = "groups"
    /// Members of this group are system administrators; empty for none.
    public var adminGroup = ""
    /// Berth always verifies the provider's certificate (add a private CA to the system trust store).
    public var verifyCert = true
    /// Berth always onboards new OIDC users automatically (there is no onboarding page).
    public var autoOnboard = true
    /// The directory used when the mode is `ldap_auth`.
    public var ldap = LDAPSettings()

    public init() {}

    /// Whether single sign-on is the active mode.
    public var usesOIDC: Bool { mode == .oidc }
    /// Whether passwords are checked against an LDAP directory.
    public var usesLDAP: Bool { mode == .ldap }

    /// The longest value accepted for any text field.
    static let maximumLength = 2_048

    /// Refuses (key, value) pairs longer than `maximumLength` bytes or holding control characters; the
    /// message names the key, never the value (it may be a secret).
    static func checkTexts(_ texts: [(String, String)]) throws(AuthError) {
        for (key, value) in texts {
            guard value.utf8.count <= maximumLength else {
                throw .invalidInput("\(key) is longer than \(maximumLength) bytes")
            }
            guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw .invalidInput("\(key) contains control characters")
            }
        }
    }

    /// Checks the settings; the message says what is wrong (it never contains the client secret).
    public func validate() throws(AuthError) {
        let texts: [(String, String)] = [("oidc_name", oidcName), ("oidc_endpoint", endpoint),
                                         ("oidc_client_id", clientID), ("oidc_client_secret", clientSecret),
                                         ("oidc_scope", scope), ("oidc_user_claim", userClaim),
                                         ("oidc_groups_claim", groupsClaim), ("oidc_admin_group", adminGroup)]
        try Self.checkTexts(texts)
        if !endpoint.isEmpty, !Self.isHTTPURL(endpoint) {
            throw .invalidInput("oidc_endpoint must be an http:// or https:// URL without query or fragment")
        }
        guard verifyCert else {
            throw .invalidInput("oidc_verify_cert=false is not supported: add the provider's CA to the system trust store")
        }
        guard autoOnboard else {
            throw .invalidInput("oidc_auto_onboard=false is not supported: Berth onboards OIDC users automatically")
        }
        try ldap.validate(required: mode == .ldap)
        guard mode == .oidc else { return }
        guard !endpoint.isEmpty else { throw .invalidInput("oidc_endpoint is required when auth_mode is oidc_auth") }
        guard !clientID.isEmpty else { throw .invalidInput("oidc_client_id is required when auth_mode is oidc_auth") }
    }

    /// `http(s)://host…` with a host and without a query, fragment or white space.
    static func isHTTPURL(_ text: String) -> Bool {
        let rest: Substring
        if text.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else if text.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else {
            return false
        }
        let host = rest.prefix { $0 != "/" }
        guard !host.isEmpty, !host.contains("@") else { return false }
        return !text.contains { $0 == "?" || $0 == "#" || $0 == " " }
    }

    /// The relying-party configuration for these settings with Berth's callback `redirectURL`.
    public func oidcConfiguration(redirectURL: String) -> OIDCConfiguration {
        OIDCConfiguration(issuer: endpoint, clientID: clientID, clientSecret: clientSecret, scope: scope,
                          usernameClaim: userClaim, groupsClaim: groupsClaim, adminGroup: adminGroup,
                          verifyTLS: verifyCert, redirectURL: redirectURL)
    }
}
