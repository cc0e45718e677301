import BerthAuth
import BerthCore
import HTTPServer

/// Browser login: `POST /c/login` (form `principal`, `password`) opens a session (HttpOnly, SameSite=Lax
/// cookie, Secure when the request came over HTTPS, directly or through a proxy, or when configured) and returns the CSRF token in `X-Harbor-CSRF-Token` and the `__csrf`
/// cookie; `GET|POST /c/log_out` ends it.
public struct LoginRoutes: Sendable {
    public let sessions: SessionManager
    /// Whether cookies always get `Secure`; they also get it whenever the request came over HTTPS.
    public let secureCookies: Bool
    /// Where logins and logouts are recorded (the audit log), when there is one.
    public let audit: HarborAuditLog?

    public init(sessions: SessionManager, secureCookies: Bool, audit: HarborAuditLog? = nil) {
        self.sessions = sessions
        self.secureCookies = secureCookies
        self.audit = audit
    }

    public func register(on router: inout HTTPRouter) {
        router.add(.post, "/c/login", { request in try await login(request) })
        router.add(.get, "/c/log_out", { request in try await logout(request) })
        router.add(.post, "/c/log_out", { request in try await logout(request) })
    }

    func login(_ request: HTTPRequest) async throws -> HTTPResponse {
        let form = AuthHeaders.form(try await request.body.collect(upTo: 16_384))
        let name = form["principal"] ?? "", password = form["password"] ?? ""
        do {
            let started = try await sessions.login(principal: name, password: password,
                                                   remoteAddress: request.remoteAddress)
            audit?.record(project: nil, username: started.principal.name, resource: started.principal.name,
                          resourceType: "user", operation: "login", address: HarborAuditLog.host(of: request.remoteAddress))
            var headers = HTTPHeaders([("Content-Type", "application/json"),
                                       (APIAuthenticator.csrfHeader, started.csrfToken)])
            headers.add("Set-Cookie", cookie(APIAuthenticator.sessionCookie, started.cookieValue, httpOnly: true,
                                             maxAge: sessions.timeoutSeconds, request: request))
            headers.add("Set-Cookie", cookie(APIAuthenticator.csrfCookie, started.csrfToken, httpOnly: false,
                                             maxAge: sessions.timeoutSeconds, request: request))
            return HTTPResponse(status: 200, headers: headers, body: .bytes(Array("{}".utf8)))
        } catch AuthError.locked(let retryAfter) {
            return Self.error(429, "TOO_MANY_REQUESTS", "too many failed logins, retry later",
                              [("Retry-After", String(retryAfter))])
        } catch AuthError.unauthorized(let message) {
            return Self.error(401, "UNAUTHORIZED", message)
        }
    }

    func logout(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let value = AuthHeaders.cookie(request, APIAuthenticator.sessionCookie) {
            if let audit, let (principal, _) = try await sessions.resume(cookieValue: value) {
                audit.record(project: nil, username: principal.name, resource: principal.name,
                             resourceType: "user", operation: "logout", address: HarborAuditLog.host(of: request.remoteAddress))
            }
            try await sessions.logout(cookieValue: value)
        }
        var headers = HTTPHeaders([("Content-Length", "0")])
        headers.add("Set-Cookie", cookie(APIAuthenticator.sessionCookie, "", httpOnly: true, maxAge: 0, request: request))
        headers.add("Set-Cookie", cookie(APIAuthenticator.csrfCookie, "", httpOnly: false, maxAge: 0, request: request))
        return HTTPResponse(status: 200, headers: headers)
    }

    private func cookie(_ name: String, _ value: String, httpOnly: Bool, maxAge: Int64, request: HTTPRequest) -> String {
        var text = "\(name)=\(value); Path=/; Max-Age=\(maxAge); SameSite=Lax"
        if httpOnly { text += "; HttpOnly" }
        if secureCookies || Self.servedOverHTTPS(request) { text += "; Secure" }
        return text
    }

    /// Whether the browser reached Berth over HTTPS: Berth's own TLS listener, or a proxy that says so in
    /// `X-Forwarded-Proto`.
    static func servedOverHTTPS(_ request: HTTPRequest) -> Bool {
        request.isSecure || request.headers["X-Forwarded-Proto"]?.lowercased() == "https"
    }

    static func error(_ status: Int, _ code: String, _ message: String, _ extra: [(String, String)] = []) -> HTTPResponse {
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        for (name, value) in extra { headers.add(name, value) }
        let body = "{\"errors\":[{\"code\":\(JSONText.quote(code)),\"message\":\(JSONText.quote(message))}]}"
        return HTTPResponse(status: status, headers: headers, body: .bytes(Array(body.utf8)))
    }
}
