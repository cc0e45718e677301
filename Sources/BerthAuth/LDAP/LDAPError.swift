/// A failure talking to the directory. Messages never contain a password.
public enum LDAPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bind was refused: wrong DN or password (LDAP result 49).
    case invalidCredentials
    /// The server could not be reached, timed out, or the TLS handshake failed.
    case unavailable(String)
    /// The settings or the input cannot be used (bad URL, empty password, filter not allowed).
    case invalidInput(String)
    /// Any other LDAP result.
    case failed(String)

    public var description: String {
        switch self {
        case .invalidCredentials: "invalid credentials"
        case .unavailable(let message): "LDAP server unavailable: \(message)"
        case .invalidInput(let message): message
        case .failed(let message): "LDAP error: \(message)"
        }
    }
}
