import BerthCore
import HTTPServer

/// Refuses writes (POST, PUT, PATCH, DELETE) under `/v2` and `/api` while read-only mode is on, as Harbor
/// does: 403 with code `DENIED` and "The system is in read only mode. Any modification is prohibited."
/// in the `{"errors":[...]}` envelope (with the registry API version header on `/v2`). Reads and the
/// exempt paths (by default the configuration endpoint, so the mode can be switched off) pass through.
public struct ReadOnlyMiddleware: HTTPMiddleware {
    /// Harbor's message, word for word.
    public static let message = "The system is in read only mode. Any modification is prohibited."

    let mode: ReadOnlyMode
    let exemptPaths: Set<String>

    /// `exemptPaths` are exact request paths that stay writable.
    public init(mode: ReadOnlyMode, exemptPaths: Set<String> = ["/api/v2.0/configurations"]) {
        self.mode = mode
        self.exemptPaths = exemptPaths
    }

    public func respond(to request: HTTPRequest, next: HTTPHandler) async throws -> HTTPResponse {
        guard mode.isEnabled, Self.isWrite(request.method) else { return try await next(request) }
        let path = request.path
        let isRegistry = path == "/v2" || path.hasPrefix("/v2/")
        let isAPI = path == "/api" || path.hasPrefix("/api/")
        guard isRegistry || isAPI, !exemptPaths.contains(path) else { return try await next(request) }
        let error = RegistryError(.denied, Self.message)
        var headers = HTTPHeaders([("Content-Type", "application/json; charset=utf-8")])
        if isRegistry { headers.add("Docker-Distribution-API-Version", "registry/2.0") }
        return HTTPResponse(status: error.status, headers: headers, body: .bytes(Array(error.jsonBody.utf8)))
    }

    static func isWrite(_ method: HTTPMethod) -> Bool {
        method == .post || method == .put || method == .patch || method == .delete
    }
}
