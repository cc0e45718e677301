/// Why an OIDC login failed. Messages are for the log; the browser sees a generic refusal.
public enum OIDCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// OIDC is not configured.
    case disabled
    /// The provider could not be reached or answered with an unexpected status or body.
    case provider(String)
    /// The ID token is not a well-formed JWS.
    case malformedToken(String)
    /// The signature does not verify, or no key of the provider matches.
    case invalidSignature(String)
    /// A claim check failed (`iss`, `aud`, `exp`, `iat`, `nonce`, ...).
    case invalidClaims(String)
    /// The login state (cookie) is missing, tampered with, expired, or does not match `state`.
    case invalidState(String)
    /// The token lacks the configured username claim (and `sub`), or it is not a usable name.
    case missingUsername

    public var description: String {
        switch self {
        case .disabled: return "OIDC is not configured"
        case .provider(let detail): return "OIDC provider error: \(detail)"
        case .malformedToken(let detail): return "malformed ID token: \(detail)"
        case .invalidSignature(let detail): return "ID token signature rejected: \(detail)"
        case .invalidClaims(let detail): return "ID token claims rejected: \(detail)"
        case .invalidState(let detail): return "login state rejected: \(detail)"
        case .missingUsername: return "ID token has no usable username claim"
        }
    }
}
