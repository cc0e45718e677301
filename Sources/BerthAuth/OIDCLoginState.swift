import BerthCrypto
import FoundationEssentials

/// What the callback needs from the login that started it: the `state` to match, the `nonce` the ID
/// token must carry, the PKCE verifier, where to go afterwards, and when the login started.
public struct OIDCLoginState: Sendable, Equatable, Codable {
    public var state: String
    public var nonce: String
    public var verifier: String
    /// A local path to return to after login (validated by the caller).
    public var redirectPath: String
    public var issuedAt: Int64

    /// A fresh state with random `state`, `nonce` and verifier.
    public static func fresh(redirectPath: String, now: Int64) -> OIDCLoginState {
        OIDCLoginState(state: JWKBase64URL.encode(SecureRandom.bytes(24)),
                       nonce: JWKBase64URL.encode(SecureRandom.bytes(24)),
                       verifier: OIDCPKCE.makeVerifier(), redirectPath: redirectPath, issuedAt: now)
    }

    enum CodingKeys: String, CodingKey {
        case state = "s", nonce = "n", verifier = "v", redirectPath = "r", issuedAt = "t"
    }
}

/// Keeps `OIDCLoginState` in a short-lived cookie signed with HMAC-SHA256 under a server key, so that
/// any node sharing the key can finish a login and a browser cannot forge or alter one. The cookie is
/// HttpOnly; it holds the PKCE verifier, which only ever goes to the provider together with the code.
public struct OIDCLoginStateSealer: Sendable {
    private let key: [UInt8]

    /// A sealer whose key is derived from `serverKey`.
    public init(serverKey: [UInt8]) {
        key = HMAC.sha256(key: serverKey, message: "berth oidc login-state v1")
    }

    /// The cookie value: base64url(JSON) "." base64url(HMAC).
    public func seal(_ state: OIDCLoginState) -> String {
        let json = (try? JSONEncoder().encode(state)).map { [UInt8]($0) } ?? []
        let payload = JWKBase64URL.encode(json)
        return payload + "." + JWKBase64URL.encode(HMAC.sha256(key: key, message: payload))
    }

    /// Checks the signature, the age (at most `maxAgeSeconds`) and that `state` equals the one returned
    /// by the provider; returns the login state.
    public func open(_ cookie: String, expectedState: String, now: Int64, maxAgeSeconds: Int64)
        throws(OIDCError) -> OIDCLoginState {
        let parts = cookie.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let mac = JWKBase64URL.decode(parts[1]),
              ConstantTime.equals(mac, HMAC.sha256(key: key, message: String(parts[0]))) else {
            throw .invalidState("bad signature")
        }
        guard let json = JWKBase64URL.decode(parts[0]),
              let state = try? JSONDecoder().decode(OIDCLoginState.self, from: Data(json)) else {
            throw .invalidState("unreadable")
        }
        guard now - state.issuedAt <= maxAgeSeconds, state.issuedAt <= now + 60 else { throw .invalidState("expired") }
        guard !expectedState.isEmpty, ConstantTime.equals(state.state, expectedState) else {
            throw .invalidState("state mismatch")
        }
        return state
    }
}
