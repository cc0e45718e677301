import BerthAuth

/// OpenID Connect single sign-on settings. Off while `endpoint` is empty. JSON keys (under `oidc`) and
/// environment variables:
///
/// | key | environment | default |
/// |---|---|---|
/// | `name` (shown as "Login via <name>") | `BERTH_OIDC_NAME` | empty |
/// | `endpoint` (issuer URL) | `BERTH_OIDC_ENDPOINT` | empty (off) |
/// | `clientID` | `BERTH_OIDC_CLIENT_ID` | |
/// | `clientSecret` | `BERTH_OIDC_CLIENT_SECRET` | |
/// | `scope` | `BERTH_OIDC_SCOPE` | `openid profile email` |
/// | `usernameClaim` | `BERTH_OIDC_USERNAME_CLAIM` | `preferred_username` (falls back to `sub`) |
/// | `groupsClaim` | `BERTH_OIDC_GROUPS_CLAIM` | `groups` |
/// | `adminGroup` | `BERTH_OIDC_ADMIN_GROUP` | empty (no group grants sysadmin) |
/// | `verifyTLS` | `BERTH_OIDC_VERIFY_TLS` | `true` |
/// | `redirectURL` | `BERTH_OIDC_REDIRECT_URL` | `<external URL>/c/oidc/callback` |
///
/// These are the initial settings: once an administrator changes the authentication mode or an OIDC setting
/// through `PUT /api/v2.0/configurations`, the settings stored in the database win (see `AuthSettingsStore`).
/// `redirectURL` is not part of them and always comes from here.
public struct OIDCSettings: Codable, Sendable, Equatable {
    public var name = ""
    public var endpoint = ""
    public var clientID = ""
    public var clientSecret = ""
    public var scope = "openid profile email"
    public var usernameClaim = "preferred_username"
    public var groupsClaim = "groups"
    public var adminGroup = ""
    public var verifyTLS = true
    public var redirectURL = ""

    public init() {}

    /// Whether single sign-on is configured.
    public var isEnabled: Bool { !endpoint.isEmpty }

    enum CodingKeys: String, CodingKey {
        case name, endpoint, clientID, clientSecret, scope, usernameClaim, groupsClaim, adminGroup, verifyTLS, redirectURL
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? name
        endpoint = try c.decodeIfPresent(String.self, forKey: .endpoint) ?? endpoint
        clientID = try c.decodeIfPresent(String.self, forKey: .clientID) ?? clientID
        clientSecret = try c.decodeIfPresent(String.self, forKey: .clientSecret) ?? clientSecret
        scope = try c.decodeIfPresent(String.self, forKey: .scope) ?? scope
        usernameClaim = try c.decodeIfPresent(String.self, forKey: .usernameClaim) ?? usernameClaim
        groupsClaim = try c.decodeIfPresent(String.self, forKey: .groupsClaim) ?? groupsClaim
        adminGroup = try c.decodeIfPresent(String.self, forKey: .adminGroup) ?? adminGroup
        verifyTLS = try c.decodeIfPresent(Bool.self, forKey: .verifyTLS) ?? verifyTLS
        redirectURL = try c.decodeIfPresent(String.self, forKey: .redirectURL) ?? redirectURL
    }

    /// Applies the `BERTH_OIDC_…` environment variables.
    public mutating func applyEnvironment(_ lookup: (String) -> String?) {
        if let value = lookup("BERTH_OIDC_NAME") { name = value }
        if let value = lookup("BERTH_OIDC_ENDPOINT") { endpoint = value }
        if let value = lookup("BERTH_OIDC_CLIENT_ID") { clientID = value }
        if let value = lookup("BERTH_OIDC_CLIENT_SECRET") { clientSecret = value }
        if let value = lookup("BERTH_OIDC_SCOPE") { scope = value }
        if let value = lookup("BERTH_OIDC_USERNAME_CLAIM") { usernameClaim = value }
        if let value = lookup("BERTH_OIDC_GROUPS_CLAIM") { groupsClaim = value }
        if let value = lookup("BERTH_OIDC_ADMIN_GROUP") { adminGroup = value }
        if let value = lookup("BERTH_OIDC_VERIFY_TLS") { verifyTLS = !["0", "false", "no"].contains(value.lowercased()) }
        if let value = lookup("BERTH_OIDC_REDIRECT_URL") { redirectURL = value }
    }

    /// Checks the settings when single sign-on is on.
    public func validate() throws(ConfigurationError) {
        guard isEnabled else { return }
        guard endpoint.hasPrefix("https://") || endpoint.hasPrefix("http://") else {
            throw ConfigurationError("oidc.endpoint must be an http(s) URL")
        }
        guard !clientID.isEmpty else { throw ConfigurationError("oidc.clientID is required when oidc.endpoint is set") }
        guard verifyTLS else {
            throw ConfigurationError("oidc.verifyTLS=false is not supported: add the provider's CA to the system trust store")
        }
    }

    /// The initial run-time settings: single sign-on when `endpoint` is set, local accounts otherwise.
    public var authSettings: AuthSettings {
        var settings = AuthSettings()
        settings.mode = isEnabled ? .oidc : .database
        settings.oidcName = name
        settings.endpoint = endpoint
        settings.clientID = clientID
        settings.clientSecret = clientSecret
        settings.scope = scope
        settings.userClaim = usernameClaim
        settings.groupsClaim = groupsClaim
        settings.adminGroup = adminGroup
        settings.verifyCert = verifyTLS
        return settings
    }
}
