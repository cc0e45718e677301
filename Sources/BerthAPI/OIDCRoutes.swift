import BerthAuth
import BerthCore
import BerthMetadata
import FoundationEssentials
import HTTPServer

/// Browser single sign-on (`/c/oidc/login`, `/c/oidc/callback`) and the CLI secret route
/// (`PUT /api/v2.0/users/{id}/cli_secret`). Sessions and request authentication belong to the login
/// code; they are injected so that an OIDC login ends exactly like a password login.
public struct OIDCRoutes: Sendable {
    /// Creates the browser session for `user` and returns the response headers that carry it
    /// (`Set-Cookie` for the session and CSRF cookies), as `/c/login` does.
    public typealias SessionStarter = @Sendable (UserRecord, HTTPRequest) async throws -> [(String, String)]
    /// The authenticated caller of an API request (session with CSRF check, or Basic), or nil.
    public typealias CallerLookup = @Sendable (HTTPRequest) async throws -> UserRecord?

    /// The relying party of the settings in force (nil while single sign-on is off).
    let source: OIDCClientSource
    let secrets: CLISecretService
    let startSession: SessionStarter
    let caller: CallerLookup
    /// Called after a CLI secret or a user's admin flag may have changed, so cached logins end at once.
    let credentialsChanged: @Sendable () -> Void
    let secureCookies: Bool
    /// Where single sign-on logins, onboarded users and CLI secret changes are recorded, when there is one.
    var audit: HarborAuditLog?
    static let stateCookie = "berth_oidc_state"

    public init(source: OIDCClientSource, secrets: CLISecretService, secureCookies: Bool,
                startSession: @escaping SessionStarter, caller: @escaping CallerLookup,
                credentialsChanged: @escaping @Sendable () -> Void = {}) {
        self.credentialsChanged = credentialsChanged
        self.source = source
        self.secrets = secrets
        self.secureCookies = secureCookies
        self.startSession = startSession
        self.caller = caller
    }

    /// These routes recording logins, onboarded users and CLI secret changes in `log`.
    public func auditing(_ log: HarborAuditLog?) -> OIDCRoutes {
        var routes = self
        routes.audit = log
        return routes
    }

    /// Adds the OIDC routes to `router`.
    public func register(on router: inout HTTPRouter) {
        router.add(.get, "/c/oidc/login") { request in await login(request) }
        router.add(.get, "/c/oidc/callback") { request in await callback(request) }
        router.add(.put, "/api/v2.0/users/{id}/cli_secret") { request in await setSecret(request) }
    }

    func login(_ request: HTTPRequest) async -> HTTPResponse {
        do {
            guard let client = try await source.current()?.client else { return Self.disabledPage }
            let start = try await client.start(redirectPath: Self.localPath(request.queryValue("redirect_url")))
            var response = HTTPResponse(status: 302)
            response.headers.add("Location", start.authorizationURL)
            response.headers.add("Set-Cookie", cookie(Self.stateCookie, start.cookie, maxAge: 600, request: request))
            response.headers.add("Cache-Control", "no-store")
            return response
        } catch {
            Log.error("OIDC login start failed: \(error)")
            return Self.page(503, "The single sign-on provider is unavailable.")
        }
    }

    func callback(_ request: HTTPRequest) async -> HTTPResponse {
        if let error = request.queryValue("error") {
            Log.warning("OIDC provider refused the login: \(error)")
            return Self.page(403, "The single sign-on provider refused the login.")
        }
        guard let sealed = Self.cookieValue(request, Self.stateCookie) else {
            return Self.page(403, "The login expired or was started elsewhere; please try again.")
        }
        do {
            guard let active = try await source.current() else { return Self.disabledPage }
            let (identity, login) = try await active.client.finish(code: request.queryValue("code") ?? "",
                                                            state: request.queryValue("state") ?? "", cookie: sealed)
            let (user, created) = try await active.onboarding.onboard(identity)
            let address = HarborAuditLog.host(of: request.remoteAddress)
            if created {
                Log.info("OIDC user \(user.username) onboarded (id \(user.id))")
                audit?.record(project: nil, username: user.username, resource: user.username, resourceType: "user",
                              operation: "create", address: address)
            } else {
                credentialsChanged()
            }
            var response = HTTPResponse(status: 302)
            response.headers.add("Location", login.redirectPath)
            response.headers.add("Cache-Control", "no-store")
            response.headers.add("Set-Cookie", cookie(Self.stateCookie, "", maxAge: 0, request: request))
            let secure = LoginRoutes.servedOverHTTPS(request)
            for (name, value) in try await startSession(user, request) {
                let needsSecure = secure && name.lowercased() == "set-cookie" && !value.contains("; Secure")
                response.headers.add(name, needsSecure ? value + "; Secure" : value)
            }
            audit?.record(project: nil, username: user.username, resource: user.username, resourceType: "user",
                          operation: "login", address: address)
            return response
        } catch OIDCOnboarding.Failure.disabled {
            return Self.page(403, "This account is disabled.")
        } catch OIDCOnboarding.Failure.usernameTaken(let name) {
            Log.warning("OIDC login refused: username \(name) belongs to another account")
            return Self.page(409, "The user name from the provider is already taken by another account.")
        } catch {
            Log.warning("OIDC login refused: \(error)")
            return Self.page(403, "Single sign-on failed.")
        }
    }

    func setSecret(_ request: HTTPRequest) async -> HTTPResponse {
        do {
            guard let caller = try await caller(request) else {
                return HarborResponder.error(HarborError(.unauthorized, "UnAuthorized"), method: request.method)
            }
            guard let id = Int64(request.parameters["id"] ?? "") else {
                return HarborResponder.error(HarborError(.badRequest, "invalid user id"), method: request.method)
            }
            guard caller.id == id || caller.isSysadmin else {
                return HarborResponder.error(HarborError(.forbidden, "only the user or an administrator may set it"), method: request.method)
            }
            let body = try await request.body.collect(upTo: 4_096)
            let secret = body.isEmpty ? nil : (try? JSONDecoder().decode(SecretBody.self, from: Data(body)))?.secret
            try await secrets.replace(userID: id, with: secret)
            credentialsChanged()
            if let audit {
                let target = caller.id == id ? caller.username : (try await source.username(of: id) ?? String(id))
                audit.record(project: nil, username: caller.username, resource: target, resourceType: "user",
                             operation: "update", address: HarborAuditLog.host(of: request.remoteAddress))
            }
            return HTTPResponse(status: 200)
        } catch AuthError.unauthorized {
            return HarborResponder.error(HarborError(.unauthorized, "UnAuthorized"), method: request.method)
        } catch AuthError.forbidden(let message) {
            return HarborResponder.error(HarborError(.forbidden, message), method: request.method)
        } catch CLISecretService.Failure.userNotFound {
            return HarborResponder.error(HarborError(.notFound, "user not found"), method: request.method)
        } catch CLISecretService.Failure.notAnOIDCUser {
            return HarborResponder.error(HarborError(.preconditionFailed, "only OIDC users have a CLI secret"), method: request.method)
        } catch CLISecretService.Failure.weakSecret {
            return HarborResponder.error(HarborError(.badRequest, PasswordPolicy.message), method: request.method)
        } catch {
            Log.error("PUT cli_secret: \(error)")
            return HarborResponder.error(HarborError(.internalServerError, "internal error"), method: request.method)
        }
    }

    struct SecretBody: Decodable { let secret: String? }

    private func cookie(_ name: String, _ value: String, maxAge: Int, request: HTTPRequest) -> String {
        let secure = secureCookies || LoginRoutes.servedOverHTTPS(request)
        return "\(name)=\(value); Path=/c/oidc; Max-Age=\(maxAge); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    /// A same-site path to return to: must start with one `/` (no `//host`, no scheme); `/` otherwise.
    static func localPath(_ text: String?) -> String {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("\\"),
              !text.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return "/" }
        return text
    }

    static func cookieValue(_ request: HTTPRequest, _ name: String) -> String? {
        for header in request.headers.values("Cookie") {
            for part in header.split(separator: ";") {
                let pair = part.drop { $0 == " " || $0 == "\t" }
                if pair.hasPrefix(name + "=") { return String(pair.dropFirst(name.count + 1)) }
            }
        }
        return nil
    }

    /// The answer while single sign-on is not the authentication mode.
    static var disabledPage: HTTPResponse { page(404, "Single sign-on is not enabled; sign in with a local account.", retry: false) }

    static func page(_ status: Int, _ message: String, retry: Bool = true) -> HTTPResponse {
        let link = retry ? "<a href=\"/c/oidc/login\">Try again</a>" : "<a href=\"/\">Sign in</a>"
        let html = "<!doctype html><title>Berth login</title><p>\(message)</p><p>\(link)</p>"
        var response = HTTPResponse(status: status, body: .bytes(Array(html.utf8)))
        response.headers.add("Content-Type", "text/html; charset=utf-8")
        response.headers.add("Cache-Control", "no-store")
        return response
    }
}
