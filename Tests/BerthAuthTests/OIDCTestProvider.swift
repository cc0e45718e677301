import BerthAuth
import BerthCrypto
import FoundationEssentials
import Synchronization

/// An in-process OpenID provider behind `OIDCHTTPTransport`: discovery, JWKS and a token endpoint that
/// checks PKCE and returns ID tokens signed with its own keys. Tests tweak the claims it signs.
final class OIDCTestProvider: OIDCHTTPTransport {
    static let issuer = "https://idp.test"
    struct State {
        var keys: [(kid: String, key: JWKSigningKey)] = []
        var signingKID = ""
        var codes: [String: (challenge: String, nonce: String)] = [:]
        var claims: [String: String] = [:]
        var groups: [String] = []
        var audience = "berth"
        var issuedAt: Int64 = 1_000_000
        var lifetime: Int64 = 300
        var jwksFetches = 0
        var overrideNonce: String?
    }
    let state = Mutex(State())

    init(algorithm: String = "RS256") {
        addKey(kid: "k1", algorithm: algorithm, use: true)
    }

    func addKey(kid: String, algorithm: String, use: Bool) {
        let key = JWKSigningKey(algorithm: algorithm)!
        state.withLock {
            $0.keys.append((kid, key))
            if use { $0.signingKID = kid }
        }
    }

    /// What the browser would do at the authorization endpoint: returns the code for the callback.
    func authorize(url: String) -> (code: String, state: String) {
        let query = url.split(separator: "?", maxSplits: 1).last.map(String.init) ?? ""
        var fields: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        let code = SecureRandom.hexToken(bytes: 8)
        state.withLock { $0.codes[code] = (fields["code_challenge"] ?? "", fields["nonce"] ?? "") }
        return (code, fields["state"] ?? "")
    }

    func get(_ url: String) async throws -> OIDCHTTPResponse {
        if url == Self.issuer + "/.well-known/openid-configuration" {
            let body = """
            {"issuer":"\(Self.issuer)","authorization_endpoint":"\(Self.issuer)/authorize",
             "token_endpoint":"\(Self.issuer)/token","jwks_uri":"\(Self.issuer)/jwks"}
            """
            return OIDCHTTPResponse(status: 200, body: Array(body.utf8))
        }
        if url == Self.issuer + "/jwks" {
            let keys = state.withLock { s -> [String] in
                s.jwksFetches += 1
                return s.keys.map { entry in
                    var members = entry.key.publicMembers()
                    members["kid"] = entry.kid
                    return "{" + members.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "}"
                }
            }
            return OIDCHTTPResponse(status: 200, body: Array("{\"keys\":[\(keys.joined(separator: ","))]}".utf8))
        }
        return OIDCHTTPResponse(status: 404, body: [])
    }

    func postForm(_ url: String, fields: [(String, String)], headers: [(String, String)]) async throws
        -> OIDCHTTPResponse {
        let form = Dictionary(fields, uniquingKeysWith: { a, _ in a })
        guard url == Self.issuer + "/token", let code = form["code"],
              let entry = state.withLock({ $0.codes.removeValue(forKey: code) }),
              OIDCPKCE.challenge(for: form["code_verifier"] ?? "") == entry.challenge else {
            return OIDCHTTPResponse(status: 400, body: Array("{\"error\":\"invalid_grant\"}".utf8))
        }
        let token = signedToken(nonce: entry.nonce)
        return OIDCHTTPResponse(status: 200, body: Array("{\"id_token\":\"\(token)\",\"token_type\":\"Bearer\"}".utf8))
    }

    /// An ID token with the current settings, signed by the current key.
    func signedToken(nonce: String, algorithmHeader: String? = nil) -> String {
        state.withLock { s in
            let key = s.keys.first { $0.kid == s.signingKID }!
            var payload: [String] = [
                "\"iss\":\"\(Self.issuer)\"", "\"sub\":\"user-1\"", "\"aud\":\"\(s.audience)\"",
                "\"iat\":\(s.issuedAt)", "\"exp\":\(s.issuedAt + s.lifetime)", "\"nonce\":\"\(s.overrideNonce ?? nonce)\"",
            ]
            for (name, value) in s.claims { payload.append("\"\(name)\":\"\(value)\"") }
            payload.append("\"groups\":[" + s.groups.map { "\"\($0)\"" }.joined(separator: ",") + "]")
            let header = "{\"alg\":\"\(algorithmHeader ?? key.key.algorithm)\",\"kid\":\"\(key.kid)\",\"typ\":\"JWT\"}"
            let input = JWKBase64URL.encode(Array(header.utf8)) + "." + JWKBase64URL.encode(Array(("{" + payload.joined(separator: ",") + "}").utf8))
            return input + "." + JWKBase64URL.encode(key.key.sign(Array(input.utf8))!)
        }
    }
}
