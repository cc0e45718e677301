import BerthAuth
import BerthCore
import BerthCrypto
import HTTPServer

/// `GET /service/token`: the Docker token endpoint. Basic credentials, a portal session, or anonymous;
/// every `scope` parameter is granted as far as the caller may (refused actions are left out).
///
/// A portal session counts only with its CSRF token in `X-Harbor-CSRF-Token` (as in Harbor, the portal
/// reads referrers and image configurations from `/v2` with a token it gets here); a session cookie
/// without it is treated as anonymous, so a cross-site page cannot mint tokens from a user's cookie.
public struct TokenRoutes: Sendable {
    public let authenticator: Authenticator
    public let tokens: TokenService
    /// Resolves portal sessions; nil accepts only Basic credentials and anonymous callers.
    public let sessions: SessionManager?

    public init(authenticator: Authenticator, tokens: TokenService, sessions: SessionManager? = nil) {
        self.authenticator = authenticator
        self.tokens = tokens
        self.sessions = sessions
    }

    public func register(on router: inout HTTPRouter) {
        router.add(.get, "/service/token", { request in try await token(request) })
    }

    func token(_ request: HTTPRequest) async throws -> HTTPResponse {
        var principal = Principal.anonymous
        if let (name, secret) = AuthHeaders.basic(request) {
            let verified: Principal?
            do {
                verified = try await authenticator.authenticate(name: name, secret: secret, address: request.remoteAddress)
            } catch AuthError.locked(let retryAfter) {
                var response = RegistryResponder.error(RegistryError(.tooManyRequests, "too many failed logins, retry later"),
                                                       method: request.method)
                response.headers.add("Retry-After", String(retryAfter))
                return response
            }
            guard let found = verified else {
                let error = RegistryError(.unauthorized, "invalid credentials")
                var response = RegistryResponder.error(error, method: request.method)
                response.headers.add("WWW-Authenticate", "Basic realm=\"berth\"")
                return response
            }
            principal = found
        } else if let sessions, let cookie = AuthHeaders.cookie(request, APIAuthenticator.sessionCookie),
                  let sent = request.headers[APIAuthenticator.csrfHeader],
                  let (found, csrf) = try await sessions.resume(cookieValue: cookie),
                  ConstantTime.equals(sent, csrf) {
            principal = found
        }
        let scopes = TokenScope.parseAll(request.query.filter { $0.name == "scope" }.map(\.value))
        let issued = try await tokens.issue(for: principal, scopes: scopes)
        let body = "{\"token\":\(JSONText.quote(issued.token)),\"access_token\":\(JSONText.quote(issued.token)),"
            + "\"expires_in\":\(issued.expiresIn),\"issued_at\":\(JSONText.quote(Self.iso8601(issued.issuedAt)))}"
        return RegistryResponder.json(body, headers: [("Cache-Control", "no-store")])
    }

    /// RFC 3339 UTC time of epoch seconds.
    static func iso8601(_ seconds: Int64) -> String {
        let days = seconds / 86_400, rest = seconds % 86_400
        // Civil-from-days (proleptic Gregorian).
        let z = days + 719_468, era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097, yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }
}
