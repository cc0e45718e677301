/// Who logged in, as the verified ID token says.
public struct OIDCIdentity: Sendable, Equatable {
    /// The provider's issuer.
    public var issuer: String
    /// The stable subject identifier.
    public var subject: String
    /// The name Berth uses for the user: the configured claim, else `sub`.
    public var username: String
    public var email: String
    public var realname: String
    /// Groups from the configured groups claim.
    public var groups: [String]
    /// Whether `groups` contains the configured admin group.
    public var isAdmin: Bool

    /// The key stored with the user: `iss|sub`, so that equal subjects of different providers never merge.
    public var storedSubject: String { OIDCProviderMetadata.trimmed(issuer) + "|" + subject }

    /// Reads the identity from verified claims with the configured claim names.
    public init(claims: [String: OIDCClaimValue], configuration: OIDCConfiguration) throws(OIDCError) {
        guard let subject = claims["sub"]?.text else { throw .missingUsername }
        let preferred = configuration.usernameClaim.isEmpty ? nil : claims[configuration.usernameClaim]?.text
        let name = (preferred?.isEmpty == false ? preferred : nil) ?? subject
        guard Self.isUsableName(name) else { throw .missingUsername }
        issuer = claims["iss"]?.text ?? configuration.issuer
        self.subject = subject
        username = name
        email = claims["email"]?.text ?? ""
        realname = claims["name"]?.text ?? ""
        groups = configuration.groupsClaim.isEmpty ? [] : (claims[configuration.groupsClaim]?.strings ?? [])
        isAdmin = !configuration.adminGroup.isEmpty && groups.contains(configuration.adminGroup)
    }

    /// 1 to 255 characters, no control characters, no `:` (it would break Basic credentials) and no
    /// leading `robot$` (robot names are reserved).
    static func isUsableName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 255, !name.hasPrefix("robot$") else { return false }
        return !name.unicodeScalars.contains { $0.value < 0x20 || $0 == ":" || $0.value == 0x7F }
    }
}
