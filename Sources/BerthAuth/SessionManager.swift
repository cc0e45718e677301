import BerthCrypto
import BerthMetadata

/// Browser sessions stored in the database (any node can read them): a random cookie value whose
/// SHA-256 is the row id, a CSRF token, and a sliding timeout. Robots cannot log in; failed logins
/// are throttled per user and address.
public struct SessionManager: Sendable {
    public let authenticator: Authenticator
    public let throttle: LoginThrottle
    /// The session timeout (and the token lifetime), changeable at run time.
    public let timeouts: SecurityTimeouts
    /// The sliding timeout of a session, as last read.
    public var timeoutSeconds: Int64 { timeouts.current.sessionSeconds }

    /// A new session: the cookie value to send (never stored) and the CSRF token.
    public struct Started: Sendable {
        public let cookieValue: String
        public let csrfToken: String
        public let principal: Principal
    }

    public init(authenticator: Authenticator, throttle: LoginThrottle = LoginThrottle(), timeoutSeconds: Int64 = 1_800) {
        self.init(authenticator: authenticator, throttle: throttle,
                  timeouts: SecurityTimeouts(fixed: .init(sessionSeconds: timeoutSeconds,
                                                          tokenSeconds: SecurityTimeouts.defaults.tokenSeconds)))
    }

    public init(authenticator: Authenticator, throttle: LoginThrottle, timeouts: SecurityTimeouts) {
        self.authenticator = authenticator
        self.throttle = throttle
        self.timeouts = timeouts
    }

    var store: any IdentityStore { authenticator.service.store }
    var now: @Sendable () -> Int64 { authenticator.service.now }

    /// Checks the password (never a robot's, never an OIDC CLI secret: those are for the CLI only, so the
    /// portal stays behind the provider's login) and opens a session.
    public func login(principal name: String, password: String, remoteAddress: String) async throws -> Started {
        try throttle.check(user: name, address: remoteAddress)
        guard let principal = try await authenticator.authenticate(name: name, secret: password, allowRobots: false),
              case .user(let user) = principal, user.method != "cli_secret" else {
            throttle.fail(user: name, address: remoteAddress)
            throw AuthError.unauthorized("invalid user name or password")
        }
        throttle.succeed(user: name, address: remoteAddress)
        return try await open(userID: user.id, principal: principal, remoteAddress: remoteAddress)
    }

    /// Opens a session for an already authenticated user (OIDC callback).
    public func open(userID: Int64, principal: Principal, remoteAddress: String) async throws -> Started {
        let cookie = SecureRandom.hexToken(bytes: 32)
        let csrf = SecureRandom.hexToken(bytes: 32)
        await timeouts.refreshIfStale()
        let timeoutSeconds = timeoutSeconds
        let time = now()
        try await store.createSession(SessionRecord(id: CredentialCache.key(cookie), userID: userID, csrfToken: csrf,
                                                    remoteAddress: remoteAddress, createdAt: time,
                                                    expiresAt: time + timeoutSeconds))
        return Started(cookieValue: cookie, csrfToken: csrf, principal: principal)
    }

    /// The user and CSRF token of a live session; extends it (sliding timeout). Nil when unknown,
    /// expired, or the user is disabled or gone.
    public func resume(cookieValue: String) async throws -> (principal: Principal, csrfToken: String)? {
        let id = CredentialCache.key(cookieValue)
        guard let session = try await store.session(id: id) else { return nil }
        let time = now()
        guard session.expiresAt > time else {
            try await store.deleteSession(id: id)
            return nil
        }
        guard let user = try await store.user(id: session.userID), !user.isDisabled else { return nil }
        await timeouts.refreshIfStale()
        let timeoutSeconds = timeoutSeconds
        if session.expiresAt - time < timeoutSeconds / 2 {
            try await store.extendSession(id: id, expiresAt: time + timeoutSeconds)
        }
        let principal = Principal.user(UserPrincipal(id: user.id, username: user.username, isSysadmin: user.isSysadmin,
                                                     method: "session"))
        return (principal, session.csrfToken)
    }

    /// Ends a session.
    public func logout(cookieValue: String) async throws {
        try await store.deleteSession(id: CredentialCache.key(cookieValue))
    }
}
