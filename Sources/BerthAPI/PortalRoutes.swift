import BerthPortal
import HTTPServer

/// Serves the web portal: `GET /` (the application), `GET /portal/<file>` (scripts, styles, icons) and
/// `GET /harbor/...` (client-side routes, answered with the application so a reload or a shared link works).
/// Every answer carries a strict Content-Security-Policy: only this origin's scripts, styles and API.
public struct PortalRoutes: Sendable {
    /// The policy: no inline script or style, no framing, no plugins, API calls to this origin only.
    public static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; "
        + "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    /// Creates the routes.
    public init() {}

    /// Adds the portal routes to `router`.
    public func register(on router: inout HTTPRouter) {
        router.add(.get, "/") { request in Self.serveIndex(request) }
        router.add(.get, "/harbor") { request in Self.serveIndex(request) }
        router.add(.get, "/harbor/{path+}") { request in Self.serveIndex(request) }
        router.add(.get, "/portal/{file+}") { request in
            let path = request.parameters["file"] ?? ""
            // No `..` or hidden paths: assets are looked up by exact name in the embedded table anyway.
            guard !path.contains(".."), let asset = PortalAssets.asset(path), path != "index.html" else {
                return Self.notFound()
            }
            return Self.serve(asset, request: request, cacheControl: "no-cache")
        }
    }

    static func serveIndex(_ request: HTTPRequest) -> HTTPResponse {
        guard let index = PortalAssets.index else { return notFound() }
        return serve(index, request: request, cacheControl: "no-cache")
    }

    /// 200 with the asset, or 304 when `If-None-Match` names its entity tag.
    static func serve(_ asset: PortalAsset, request: HTTPRequest, cacheControl: String) -> HTTPResponse {
        var headers = securityHeaders()
        headers["ETag"] = asset.etag
        headers["Cache-Control"] = cacheControl
        if let match = request.headers["If-None-Match"],
           match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: " ") == asset.etag || $0 == "*" }) {
            return HTTPResponse(status: 304, headers: headers)
        }
        headers["Content-Type"] = asset.contentType
        return HTTPResponse(status: 200, headers: headers, body: .bytes(asset.bytes))
    }

    static func notFound() -> HTTPResponse {
        var headers = securityHeaders()
        headers["Content-Type"] = "text/plain; charset=utf-8"
        return HTTPResponse(status: 404, headers: headers, body: .bytes(Array("not found\n".utf8)))
    }

    static func securityHeaders() -> HTTPHeaders {
        HTTPHeaders([("Content-Security-Policy", contentSecurityPolicy),
                     ("X-Content-Type-Options", "nosniff"),
                     ("X-Frame-Options", "DENY"),
                     ("Referrer-Policy", "same-origin")])
    }
}

private extension Substring {
    /// The text without leading and trailing characters in `set`.
    func trimmingCharacters(in set: Character) -> Substring {
        var text = self
        while text.first == set { text = text.dropFirst() }
        while text.last == set { text = text.dropLast() }
        return text
    }
}
