import BerthAuth
import BerthCore
import BerthMetadata
import BerthRegistry
import HTTPServer

/// The Harbor-compatible REST API (`/api/v2.0`): projects, members, robots, users, repositories,
/// artifacts, tags, search, statistics, system info and the audit log. Every route resolves the caller
/// with `authenticate` and checks the `AccessDecider` before any work.
public struct HarborAPI: Sendable {
    /// Resolves the principal of a request (Basic, session cookie with CSRF check, Bearer…); throws
    /// `AuthError.unauthorized` for bad credentials, returns `.anonymous` when none were sent.
    public typealias Authenticate = @Sendable (HTTPRequest) async throws -> Principal

    let identity: IdentityService
    let decider: AccessDecider
    let listings: any ListingStore
    let audit: HarborAuditLog
    let registry: Registry
    let authenticate: Authenticate
    let settings: HarborSettings
    /// Called after a change that must end cached logins (password, secret, sysadmin flag, deletion).
    let credentialsChanged: @Sendable () -> Void
    /// OIDC users' CLI secrets, shown in `/users/current` as `oidc_user_meta.secret`; nil without OIDC.
    var cliSecrets: CLISecretService?
    /// The process's read-only switch, for `PUT /configurations`; nil when it cannot be changed here.
    var readOnly: ReadOnlyMode?
    /// The live authentication mode and OIDC settings, for `/configurations` and `/systeminfo`; nil: the
    /// fixed `settings.authMode`.
    var authSettings: AuthSettingsStore?
    /// The live session timeout and token lifetime, for `/configurations`; nil: not changeable here.
    var timeouts: SecurityTimeouts?
    /// The scanner, for `scan_overview` in artifact bodies; nil when scanning is off.
    var scans: (any ScanProvider)?

    /// - Parameter credentialsChanged: drop cached credentials (e.g. `authenticator.cache.removeAll()`).
    public init(identity: IdentityService, listings: any ListingStore, audit: HarborAuditLog, registry: Registry,
                settings: HarborSettings = HarborSettings(), credentialsChanged: @escaping @Sendable () -> Void = {},
                authenticate: @escaping Authenticate) {
        self.credentialsChanged = credentialsChanged
        self.identity = identity
        self.decider = AccessDecider(store: identity.store)
        self.listings = listings
        self.audit = audit
        self.registry = registry
        self.settings = settings
        self.authenticate = authenticate
    }

    /// This API with OIDC users' CLI secrets shown in their profile (`/users/current`).
    public func showingCLISecrets(_ secrets: CLISecretService) -> HarborAPI {
        var api = self
        api.cliSecrets = secrets
        return api
    }

    static let base = "/api/v2.0"

    /// Adds every `/api/v2.0` route to `router`.
    public func register(on router: inout HTTPRouter) {
        registerSystem(on: &router)
        registerProjects(on: &router)
        registerMembers(on: &router)
        registerRepositories(on: &router)
        registerArtifacts(on: &router)
        registerUsers(on: &router)
        registerRobots(on: &router)
        registerConfigurations(on: &router)
        registerLDAP(on: &router)
    }

    /// One request's caller and helpers.
    struct Call: Sendable {
        let request: HTTPRequest
        let principal: Principal

        var address: String { HarborAuditLog.host(of: request.remoteAddress) }
        func parameter(_ name: String) -> String { request.parameters[name] ?? "" }
    }

    /// Authenticates, runs `body`, maps errors to Harbor's envelope and echoes `X-Request-Id`.
    func route(_ router: inout HTTPRouter, _ method: HTTPMethod, _ path: String,
               _ body: @escaping @Sendable (Call) async throws -> HTTPResponse) {
        let api = self
        router.add(method, Self.base + path) { request in
            let requestID = HarborRequestID.value(for: request)
            var response: HTTPResponse
            do {
                let principal = try await api.authenticate(request)
                response = try await body(Call(request: request, principal: principal))
            } catch {
                response = HarborResponder.error(Self.harborError(error, request: request), method: request.method)
            }
            response.headers[HarborRequestID.header] = requestID
            return response
        }
    }

    /// Harbor's view of any error; unexpected ones are logged and become an opaque 500.
    static func harborError(_ error: any Error, request: HTTPRequest) -> HarborError {
        switch error {
        case let error as HarborError: return error
        case let error as AuthError:
            switch error {
            case .unauthorized(let message): return HarborError(.unauthorized, message)
            case .forbidden(let message): return HarborError(.forbidden, message)
            case .notFound(let message): return HarborError(.notFound, message)
            case .conflict(let message): return HarborError(.conflict, message)
            case .invalidPassword(let message), .invalidInput(let message): return HarborError(.badRequest, message)
            case .locked: return HarborError(.unauthorized, "too many failed logins, try again later")
            }
        case let error as ListingError:
            switch error {
            case .unknownKey(let key): return .badRequest("unsupported query or sort key \(key)")
            case .invalidValue(let key, let value): return .badRequest("invalid value \(value) for \(key)")
            }
        case let error as RegistryError where error.status == 404:
            return .notFound(error.message)
        default:
            Log.error("\(request.method.rawValue) \(request.path): \(error)")
            return HarborError(.internalServerError, "internal error")
        }
    }

    // MARK: Authorization

    /// Throws 401 for anonymous callers and 403 otherwise unless `principal` holds `permission` in `project`.
    func require(_ call: Call, _ permission: Permission, in project: ProjectRecord) async throws {
        guard try await decider.allows(call.principal, permission, in: project) else { throw denial(call) }
    }

    /// Throws unless `principal` holds the system-level `permission` (system administrators do).
    func requireSystem(_ call: Call, _ permission: Permission) throws {
        guard decider.allowsSystem(call.principal, permission) else { throw denial(call) }
    }

    /// Throws 401 for anonymous callers.
    func requireLogin(_ call: Call) throws {
        if call.principal == .anonymous { throw HarborError.unauthorized() }
    }

    func denial(_ call: Call) -> HarborError {
        call.principal == .anonymous ? .unauthorized() : .forbidden()
    }
}
