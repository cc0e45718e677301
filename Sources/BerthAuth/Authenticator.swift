import BerthMetadata

/// Turns a login name and a secret into a `Principal`: a local user's password, a robot's secret
/// (names starting `robot$`), through `directoryVerifier` a password the LDAP directory accepts, or,
/// through `cliSecretVerifier`, an OIDC user's CLI secret. Successes
/// are cached by SHA-256 of `name:secret` (see `CredentialCache`); failures are not. With a `throttle`,
/// callers that pass the client's address are locked out after repeated failures, like the portal login,
/// so Basic credentials on `/v2`, `/service/token` and the API cannot be guessed without limit.
public struct Authenticator: Sendable {
    public let service: IdentityService
    public let cache: CredentialCache
    /// Failed-login lockout shared with the portal login; nil turns it off.
    public let throttle: LoginThrottle?
    /// Checks an OIDC CLI secret (the OIDC code provides it); nil when OIDC is off.
    public let cliSecretVerifier: (@Sendable (_ username: String, _ secret: String) async throws -> UserRecord?)?
    /// Checks a password against the LDAP directory and returns the (onboarded) user; nil when LDAP is off.
    public let directoryVerifier: (@Sendable (_ username: String, _ password: String) async throws -> UserRecord?)?

    public init(service: IdentityService, cache: CredentialCache = CredentialCache(), throttle: LoginThrottle? = nil,
                cliSecretVerifier: (@Sendable (String, String) async throws -> UserRecord?)? = nil,
                directoryVerifier: (@Sendable (String, String) async throws -> UserRecord?)? = nil) {
        self.service = service
        self.cache = cache
        self.throttle = throttle
        self.cliSecretVerifier = cliSecretVerifier
        self.directoryVerifier = directoryVerifier
    }

    /// The principal for these credentials, or nil when they are wrong, disabled or expired.
    /// - Parameter allowRobots: false for the portal login, which robots may not use.
    /// - Parameter authorization: the whole `Authorization` header value the credentials came from; when
    ///   given, a fresh verification is also cached under it (see `cachedPrincipal(authorization:)`).
    /// - Parameter address: the client's address; when given (and there is a throttle), a verification that
    ///   is not in the cache is refused with `AuthError.locked` while this name and address are locked out,
    ///   and a failure counts towards the lock.
    public func authenticate(name: String, secret: String, allowRobots: Bool = true,
                             authorization: String? = nil, address: String? = nil) async throws -> Principal? {
        if RobotName.isRobot(name) && !allowRobots { return nil }
        let key = CredentialCache.key(name + ":" + secret)
        if let cached = cache.lookup(key) { return cached }
        guard let throttle, let address else {
            return try await verify(name: name, secret: secret, key: key, authorization: authorization)
        }
        try throttle.check(user: name, address: address)
        guard let principal = try await verify(name: name, secret: secret, key: key, authorization: authorization) else {
            throttle.fail(user: name, address: address)
            return nil
        }
        throttle.succeed(user: name, address: address)
        return principal
    }

    /// Checks the credentials against the stores and caches a success.
    private func verify(name: String, secret: String, key: String, authorization: String?) async throws -> Principal? {
        let principal: Principal
        var notAfter: Int64?
        if RobotName.isRobot(name) {
            guard let robot = try await service.verifyRobot(fullName: name, secret: secret) else { return nil }
            principal = .robot(Self.robotPrincipal(robot))
            if robot.expiresAt >= 0 { notAfter = robot.expiresAt }
        } else if let user = try await service.verifyPassword(username: name, password: secret) {
            principal = .user(UserPrincipal(id: user.id, username: user.username, isSysadmin: user.isSysadmin,
                                            method: "password"))
        } else if let verifier = directoryVerifier, let user = try await verifier(name, secret), !user.isDisabled {
            principal = .user(UserPrincipal(id: user.id, username: user.username, isSysadmin: user.isSysadmin,
                                            method: "ldap"))
        } else if let verifier = cliSecretVerifier, let user = try await verifier(name, secret), !user.isDisabled {
            principal = .user(UserPrincipal(id: user.id, username: user.username, isSysadmin: user.isSysadmin,
                                            method: "cli_secret"))
        } else {
            return nil
        }
        cache.store(key, principal, notAfter: notAfter)
        if let authorization { cache.store(Self.headerKey(authorization), principal, notAfter: notAfter) }
        return principal
    }

    /// The principal of an `Authorization` header value that `authenticate(…, authorization:)` verified
    /// within the cache lifetime, found without decoding the header (the registry's hot path: one hash
    /// and one lookup). nil when there is none; robots included, so only for callers that allow robots.
    public func cachedPrincipal(authorization: String) -> Principal? {
        cache.lookup(Self.headerKey(authorization))
    }

    /// Cache key of a whole header value; the NUL-led prefix keeps it apart from `name:secret` keys.
    static func headerKey(_ authorization: String) -> String {
        CredentialCache.key("\u{0}authorization\u{0}" + authorization)
    }

    /// The principal of a stored robot.
    public static func robotPrincipal(_ robot: RobotRecord) -> RobotPrincipal {
        RobotPrincipal(id: robot.id, name: robot.name, level: robot.level, projectID: robot.projectID,
                       permissions: robot.permissions)
    }
}
