import BerthCrypto
import FoundationEssentials

/// The token endpoint's answer; only the ID token matters to Berth (the CLI secret, not the access or
/// refresh token, is what the CLI uses afterwards).
struct OIDCTokenResponse: Decodable {
    let idToken: String?
    let tokenType: String?

    enum CodingKeys: String, CodingKey {
        case idToken = "id_token"
        case tokenType = "token_type"
    }

    static func idToken(from body: [UInt8]) throws(OIDCError) -> String {
        guard let parsed = try? JSONDecoder().decode(OIDCTokenResponse.self, from: Data(body)) else {
            throw .provider("invalid token response")
        }
        guard let token = parsed.idToken, !token.isEmpty else { throw .provider("token response has no id_token") }
        return token
    }
}

/// `client_secret_basic` credentials (RFC 6749 section 2.3.1: form-encoded id and secret, then base64).
enum OIDCBasicAuth {
    static func encode(_ credentials: String) -> String {
        Data(credentials.utf8).base64EncodedString()
    }
}
