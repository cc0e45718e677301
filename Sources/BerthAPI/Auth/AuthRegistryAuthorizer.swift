import BerthAuth
import BerthCore
import HTTPServer

/// The registry's access control: a `RegistryAuthorizer` over bearer tokens from `/service/token`,
/// Basic credentials sent straight to `/v2`, and anonymous access (pull from public projects only).
/// Refusals carry `WWW-Authenticate: Bearer realm=…,service=…[,scope=…]` so clients start the token flow.
public struct AuthRegistryAuthorizer: RegistryAuthorizer {
    public let authenticator: Authenticator
    public let decider: AccessDecider
    public let tokens: TokenService
    /// The external URL clients reach Berth at; nil derives it from the `Host` header.
    public let externalURL: String?

    public init(authenticator: Authenticator, decider: AccessDecider, tokens: TokenService, externalURL: String?) {
        self.authenticator = authenticator
        self.decider = decider
        self.tokens = tokens
        self.externalURL = externalURL
    }

    public func authorize(_ request: HTTPRequest, for action: RegistryAction) async throws {
        let needs = Self.requirements(action)
        if let token = AuthHeaders.bearer(request) {
            guard let claims = tokens.verify(token) else { throw challenge(request, action, "invalid or expired token") }
            if action == .base { return }
            for (repository, actionName) in needs where !Self.granted(claims.access, repository, actionName) {
                throw challenge(request, action, "insufficient scope", code: .unauthorized)
            }
            if action == .catalog, !claims.access.contains(where: { $0.type == "registry" && $0.actions.contains("*") }) {
                throw challenge(request, action, "insufficient scope")
            }
            return
        }
        var principal = Principal.anonymous
        let header = request.headers["Authorization"]
        if let header, let cached = authenticator.cachedPrincipal(authorization: header) {
            principal = cached
        } else if let (name, secret) = AuthHeaders.basic(request) {
            let verified: Principal?
            do {
                verified = try await authenticator.authenticate(name: name, secret: secret, authorization: header,
                                                                address: request.remoteAddress)
            } catch AuthError.locked(let retryAfter) {
                throw AuthorizationFailure(RegistryError(.tooManyRequests, "too many failed logins, retry later"),
                                           headers: [("Retry-After", String(retryAfter))])
            }
            guard let found = verified else { throw challenge(request, action, "invalid credentials") }
            principal = found
        }
        if try await allows(principal, action, needs) { return }
        if principal == .anonymous { throw challenge(request, action, "authentication required") }
        throw AuthorizationFailure(RegistryError(.denied, "requested access to the resource is denied"))
    }

    private func allows(_ principal: Principal, _ action: RegistryAction, _ needs: [(String, String)]) async throws -> Bool {
        switch action {
        case .base: return principal != .anonymous
        case .catalog: return decider.allowsSystem(principal, Permission(Permission.Resource.catalog, Permission.Action.read))
        default:
            for (repository, actionName) in needs {
                guard let slash = repository.firstIndex(of: "/") else { return false }
                let permission: Permission = actionName == "pull" ? .pull : actionName == "push" ? .push : .deleteRepository
                if !(try await decider.allows(principal, permission, inProjectNamed: String(repository[..<slash]))) {
                    return false
                }
            }
            return true
        }
    }

    /// The (repository, action) pairs an action needs.
    static func requirements(_ action: RegistryAction) -> [(String, String)] {
        switch action {
        case .base, .catalog: return []
        case .pull(let name): return [(name.value, "pull")]
        case .push(let name): return [(name.value, "push")]
        case .delete(let name): return [(name.value, "delete")]
        case .mount(let target, let source): return [(target.value, "push"), (source.value, "pull")]
        }
    }

    static func granted(_ access: [TokenScope], _ repository: String, _ action: String) -> Bool {
        access.contains { $0.type == "repository" && $0.name == repository && ($0.actions.contains(action) || $0.actions.contains("*")) }
    }

    /// The `realm` for `request`: `<external URL>/service/token`.
    func realm(_ request: HTTPRequest) -> String {
        if let externalURL { return Self.trimmed(externalURL) + "/service/token" }
        let scheme = request.headers["X-Forwarded-Proto"] ?? (request.isSecure ? "https" : "http")
        return "\(scheme)://\(request.headers["Host"] ?? "127.0.0.1")/service/token"
    }

    static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    private func challenge(_ request: HTTPRequest, _ action: RegistryAction, _ message: String,
                           code: RegistryError.Code = .unauthorized) -> AuthorizationFailure {
        var value = "Bearer realm=\"\(realm(request))\",service=\"\(tokens.service)\""
        switch action {
        case .base: break
        case .catalog: value += ",scope=\"registry:catalog:*\""
        case .pull(let name): value += ",scope=\"repository:\(name.value):pull\""
        case .push(let name), .mount(let name, _): value += ",scope=\"repository:\(name.value):pull,push\""
        case .delete(let name): value += ",scope=\"repository:\(name.value):delete\""
        }
        return AuthorizationFailure(RegistryError(code, message), headers: [("WWW-Authenticate", value)])
    }
}
