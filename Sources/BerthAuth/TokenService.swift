import BerthCrypto
import BerthMetadata

/// Issues and checks the registry's bearer tokens: ES256 JWTs with `iss`, `sub`, `aud` (the service),
/// `exp`, `nbf`, `iat`, `jti` and Docker's `access` claim. Requested scopes are granted only as far as
/// `AccessDecider` allows; refused actions are simply left out (an empty list when none remains).
public struct TokenService: Sendable {
    public let key: ECDSAKey
    public let issuer: String
    public let service: String
    /// The token lifetime (and the session timeout), changeable at run time.
    public let timeouts: SecurityTimeouts
    public let decider: AccessDecider
    public let now: @Sendable () -> Int64

    /// The claims of a registry token.
    public struct Claims: Codable, Sendable, Equatable {
        public var iss: String
        public var sub: String
        public var aud: String
        public var exp: Int64
        public var nbf: Int64
        public var iat: Int64
        public var jti: String
        public var access: [TokenScope]
    }

    /// An issued token.
    public struct Issued: Sendable {
        public let token: String
        public let expiresIn: Int64
        public let issuedAt: Int64
        public let access: [TokenScope]
    }

    public init(key: ECDSAKey, issuer: String = "berth-token-issuer", service: String = "berth-registry",
                lifetimeSeconds: Int64 = 1_800, decider: AccessDecider,
                now: @escaping @Sendable () -> Int64 = IdentityClock.now) {
        self.init(key: key, issuer: issuer, service: service,
                  timeouts: SecurityTimeouts(fixed: .init(sessionSeconds: SecurityTimeouts.defaults.sessionSeconds,
                                                          tokenSeconds: lifetimeSeconds)),
                  decider: decider, now: now)
    }

    public init(key: ECDSAKey, issuer: String = "berth-token-issuer", service: String = "berth-registry",
                timeouts: SecurityTimeouts, decider: AccessDecider,
                now: @escaping @Sendable () -> Int64 = IdentityClock.now) {
        self.key = key
        self.issuer = issuer
        self.service = service
        self.timeouts = timeouts
        self.decider = decider
        self.now = now
    }

    /// How long a token issued now is valid, as last read.
    public var lifetimeSeconds: Int64 { timeouts.current.tokenSeconds }

    /// A token for `principal` holding the granted part of `scopes`.
    public func issue(for principal: Principal, scopes: [TokenScope]) async throws -> Issued {
        var granted: [TokenScope] = []
        for scope in scopes {
            granted.append(TokenScope(type: scope.type, name: scope.name,
                                      actions: try await grantedActions(principal, scope)))
        }
        await timeouts.refreshIfStale()
        let lifetimeSeconds = lifetimeSeconds
        let time = now()
        let claims = Claims(iss: issuer, sub: principal == .anonymous ? "" : principal.name, aud: service,
                            exp: time + lifetimeSeconds, nbf: time - 1, iat: time,
                            jti: SecureRandom.hexToken(bytes: 16), access: granted)
        return Issued(token: try JWT.sign(claims, key: key), expiresIn: lifetimeSeconds, issuedAt: time, access: granted)
    }

    /// The claims of a valid token of ours (signature, issuer, audience, time window), or nil.
    public func verify(_ token: String) -> Claims? {
        guard let claims = try? JWT.verify(token, as: Claims.self, key: .es256(key)) else { return nil }
        let time = now()
        guard claims.iss == issuer, claims.aud == service, time < claims.exp, time >= claims.nbf else { return nil }
        return claims
    }

    private func grantedActions(_ principal: Principal, _ scope: TokenScope) async throws -> [String] {
        switch scope.type {
        case "repository":
            guard let slash = scope.name.firstIndex(of: "/") else { return [] }
            let projectName = String(scope.name[..<slash])
            guard let project = try await decider.store.project(named: projectName) else { return [] }
            var actions: [String] = []
            for action in scope.actions where !actions.contains(action) {
                let permission: Permission
                switch action {
                case "pull": permission = .pull
                case "push": permission = .push
                case "delete": permission = .deleteRepository
                case "*":
                    if try await decider.allows(principal, .pull, in: project),
                       try await decider.allows(principal, .push, in: project),
                       try await decider.allows(principal, .deleteRepository, in: project) {
                        actions.append("*")
                    }
                    continue
                default: continue
                }
                if try await decider.allows(principal, permission, in: project) { actions.append(action) }
            }
            return actions
        case "registry":
            guard scope.name == "catalog", scope.actions.contains("*"),
                  decider.allowsSystem(principal, Permission(Permission.Resource.catalog, Permission.Action.read))
            else { return [] }
            return ["*"]
        default:
            return []
        }
    }
}
