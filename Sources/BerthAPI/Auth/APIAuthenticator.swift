import BerthAuth
import HTTPServer

/// Resolves the principal of an `/api/v2.0` (or `/c/`) request: Basic credentials (user password,
/// robot secret, CLI secret), a registry bearer token, or the session cookie. A session-authenticated
/// request that changes state (anything but GET, HEAD, OPTIONS) must carry the session's CSRF token in
/// `X-Harbor-CSRF-Token`. No credentials at all is `.anonymous`.
public struct APIAuthenticator: Sendable {
    public let authenticator: Authenticator
    public let sessions: SessionManager
    public let tokens: TokenService?

    /// The session cookie's name.
    public static let sessionCookie = "sid"
    /// The CSRF header (and the name of the readable cookie that carries the same token).
    public static let csrfHeader = "X-Harbor-CSRF-Token"
    public static let csrfCookie = "__csrf"

    public init(authenticator: Authenticator, sessions: SessionManager, tokens: TokenService? = nil) {
        self.authenticator = authenticator
        self.sessions = sessions
        self.tokens = tokens
    }

    /// The result of authenticating a request.
    public struct Resolution: Sendable {
        public let principal: Principal
        /// The session's CSRF token when the request came with a live session (echo it to the client).
        public let csrfToken: String?
    }

    /// The principal of `request`. Throws `AuthError.unauthorized` for wrong credentials and
    /// `AuthError.forbidden` for a missing or wrong CSRF token.
    public func resolve(_ request: HTTPRequest) async throws -> Resolution {
        let header = request.headers["Authorization"]
        if let header, let cached = authenticator.cachedPrincipal(authorization: header) {
            return Resolution(principal: cached, csrfToken: nil)
        }
        if let (name, secret) = AuthHeaders.basic(request) {
            guard let principal = try await authenticator.authenticate(name: name, secret: secret, authorization: header,
                                                                       address: request.remoteAddress) else {
                throw AuthError.unauthorized("invalid credentials")
            }
            return Resolution(principal: principal, csrfToken: nil)
        }
        if let token = AuthHeaders.bearer(request) {
            guard let claims = tokens?.verify(token), !claims.sub.isEmpty,
                  let principal = try await principal(named: claims.sub) else {
                throw AuthError.unauthorized("invalid token")
            }
            return Resolution(principal: principal, csrfToken: nil)
        }
        if let cookie = AuthHeaders.cookie(request, Self.sessionCookie),
           let (principal, csrf) = try await sessions.resume(cookieValue: cookie) {
            if ![HTTPMethod.get, .head, .options].contains(request.method) {
                guard let sent = request.headers[Self.csrfHeader], sent == csrf else {
                    throw AuthError.forbidden("CSRF token invalid")
                }
            }
            return Resolution(principal: principal, csrfToken: csrf)
        }
        return Resolution(principal: .anonymous, csrfToken: nil)
    }

    /// Convenience: only the principal.
    public func principal(for request: HTTPRequest) async throws -> Principal {
        try await resolve(request).principal
    }

    private func principal(named name: String) async throws -> Principal? {
        let store = authenticator.service.store
        if RobotName.isRobot(name) {
            guard let robot = try await store.robot(named: name), authenticator.service.isUsable(robot) else { return nil }
            return .robot(Authenticator.robotPrincipal(robot))
        }
        guard let user = try await store.user(named: name), !user.isDisabled else { return nil }
        return .user(UserPrincipal(id: user.id, username: user.username, isSysadmin: user.isSysadmin, method: "token"))
    }
}
