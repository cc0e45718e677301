import FoundationEssentials

/// The parts of a provider's discovery document (`/.well-known/openid-configuration`) Berth uses.
public struct OIDCProviderMetadata: Sendable, Equatable, Decodable {
    public let issuer: String
    public let authorizationEndpoint: String
    public let tokenEndpoint: String
    public let jwksURI: String
    public let userinfoEndpoint: String?
    public let codeChallengeMethodsSupported: [String]?

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case userinfoEndpoint = "userinfo_endpoint"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
    }

    /// Decodes a discovery document and checks that its `issuer` is the configured one
    /// (OpenID Connect Discovery section 4.3), ignoring one trailing slash.
    public static func parse(_ body: [UInt8], expectedIssuer: String) throws(OIDCError) -> OIDCProviderMetadata {
        guard let metadata = try? JSONDecoder().decode(OIDCProviderMetadata.self, from: Data(body)) else {
            throw .provider("invalid discovery document")
        }
        guard trimmed(metadata.issuer) == trimmed(expectedIssuer) else {
            throw .provider("discovery issuer \(metadata.issuer) is not the configured \(expectedIssuer)")
        }
        return metadata
    }

    static func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
