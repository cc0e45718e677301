import BerthCore
import HTTPServer

/// What a `/v2` request wants to do, derived from the route and method.
public enum RegistryAction: Sendable, Equatable {
    /// `GET /v2/`: any authenticated (or anonymous, when allowed) caller.
    case base
    case catalog
    case pull(RepositoryName)
    case push(RepositoryName)
    case delete(RepositoryName)
    /// Mounting reads from `source` and writes to the target repository.
    case mount(target: RepositoryName, source: RepositoryName)
}

/// The seam where authentication and authorization slot in. The routes call it before any work;
/// it throws a `RegistryError` (UNAUTHORIZED or DENIED) to refuse, and may return headers to add
/// to a refusal (such as `WWW-Authenticate`).
public protocol RegistryAuthorizer: Sendable {
    func authorize(_ request: HTTPRequest, for action: RegistryAction) async throws
}

/// Lets everything through: the registry runs open until access control is configured.
public struct OpenAccess: RegistryAuthorizer {
    public init() {}
    public func authorize(_ request: HTTPRequest, for action: RegistryAction) async throws {}
}

/// A refusal from a `RegistryAuthorizer` with headers for the response (e.g. `WWW-Authenticate`).
public struct AuthorizationFailure: Error, Sendable {
    public let error: RegistryError
    public let headers: [(String, String)]
    public init(_ error: RegistryError, headers: [(String, String)] = []) {
        self.error = error
        self.headers = headers
    }
}
