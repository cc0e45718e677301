/// How Berth talks to one OpenID Connect provider.
public struct OIDCConfiguration: Sendable, Equatable {
    /// The issuer URL; discovery is read from `<issuer>/.well-known/openid-configuration`.
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    /// Scopes requested, space separated; `openid` is always included.
    public var scope: String
    /// The claim that names the user on first login; `sub` is the fallback.
    public var usernameClaim: String
    /// The claim listing the user's groups (array of strings, or one string); empty for none.
    public var groupsClaim: String
    /// Members of this group are system administrators; empty for none.
    public var adminGroup: String
    /// Verify the provider's TLS certificate.
    public var verifyTLS: Bool
    /// Berth's callback URL as the provider sees it (`<external URL>/c/oidc/callback`).
    public var redirectURL: String
    /// Tolerated clock difference for `exp` and `iat`, in seconds.
    public var clockSkewSeconds: Int64
    /// How long a started login may take before its state expires, in seconds.
    public var loginTimeoutSeconds: Int64

    public init(issuer: String, clientID: String, clientSecret: String, scope: String = "openid profile email",
                usernameClaim: String = "preferred_username", groupsClaim: String = "groups", adminGroup: String = "",
                verifyTLS: Bool = true, redirectURL: String, clockSkewSeconds: Int64 = 60,
                loginTimeoutSeconds: Int64 = 600) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scope
        self.usernameClaim = usernameClaim
        self.groupsClaim = groupsClaim
        self.adminGroup = adminGroup
        self.verifyTLS = verifyTLS
        self.redirectURL = redirectURL
        self.clockSkewSeconds = clockSkewSeconds
        self.loginTimeoutSeconds = loginTimeoutSeconds
    }

    /// The scopes to request, with `openid` first and no duplicates.
    public var requestedScopes: [String] {
        var scopes = ["openid"]
        for item in scope.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init) where !scopes.contains(item) {
            scopes.append(item)
        }
        return scopes
    }

    /// The issuer without a trailing slash, as used for discovery.
    var issuerBase: String {
        var base = issuer
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }
}
