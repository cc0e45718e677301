import BerthAPI
import BerthAuth
import BerthCore
import BerthMetadata
import HTTPServer

/// The OIDC single sign-on parts of the composition root: the live authentication settings (mode and
/// provider, changeable through `/api/v2.0/configurations`), the relying party that follows them, and
/// the `/c/oidc` routes.
enum OIDCWiring {
    /// The server key file of earlier versions in the data directory. `serve` keeps the key in the shared
    /// database (`SharedKeys`) and only imports this file once. The key seals the CLI secrets and the
    /// stored OIDC client secret and signs the login-state cookie; replacing it makes stored CLI secrets
    /// unreadable (users then regenerate them).
    static let keyFileName = "oidc-server.key"

    /// Berth's callback URL: `oidc.redirectURL`, else `<external URL>/c/oidc/callback`; nil when neither
    /// is known.
    static func redirectURL(_ settings: OIDCSettings, externalURL: String?) -> String? {
        if !settings.redirectURL.isEmpty { return settings.redirectURL }
        guard var base = externalURL, !base.isEmpty else { return nil }
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/c/oidc/callback"
    }

    /// The live settings, starting from the configuration file's `oidc` section. Refuses a file that
    /// switches single sign-on on without a known callback URL.
    static func settingsStore(_ settings: OIDCSettings, store: any IdentityStore, serverKey: [UInt8],
                              externalURL: String?) async throws -> AuthSettingsStore {
        let redirect = redirectURL(settings, externalURL: externalURL)
        if settings.isEnabled, redirect == nil {
            throw ConfigurationError("oidc.redirectURL or BERTH_EXTERNAL_URL is required when oidc.endpoint is set")
        }
        let live = AuthSettingsStore(store: store, serverKey: serverKey, initial: settings.authSettings,
                                     redirectURL: redirect)
        if try await live.isStored() {
            let current = try await live.current()
            Log.info("authentication: \(current.mode.rawValue) from the database (changed through the API; "
                     + "the configuration file's oidc settings no longer apply)")
            if current.usesOIDC, redirect == nil {
                Log.warning("single sign-on is on but Berth has no callback URL: /c/oidc/login is off until "
                            + "BERTH_EXTERNAL_URL or oidc.redirectURL is set")
            }
        }
        return live
    }

    /// Adds the OIDC routes to `router`. They follow the live settings: `/c/oidc/login` answers 404 while
    /// the mode is not `oidc_auth`, and a change of provider applies to the next login.
    static func register(on router: inout HTTPRouter, identity: IdentityComponents, secureCookies: Bool) {
        routes(identity: identity, transport: OIDCURLSessionTransport(), secureCookies: secureCookies)
            .register(on: &router)
    }

    /// The OIDC routes (`/c/oidc/login`, `/c/oidc/callback`, `PUT /api/v2.0/users/{id}/cli_secret`),
    /// ending a login with the same session cookies as `POST /c/login`.
    static func routes(identity: IdentityComponents, transport: any OIDCHTTPTransport,
                       secureCookies: Bool) -> OIDCRoutes {
        let source = OIDCClientSource(settings: identity.authSettings, serverKey: identity.serverKey,
                                      transport: transport, store: identity.store, secrets: identity.cliSecrets,
                                      clock: IdentityClock.now)
        let sessions = identity.sessions
        let api = identity.apiAuthenticator
        let store = identity.store
        let cache = identity.authenticator.cache
        return OIDCRoutes(
            source: source, secrets: identity.cliSecrets, secureCookies: secureCookies,
            startSession: { user, request in
                let principal = Principal.user(UserPrincipal(id: user.id, username: user.username,
                                                             isSysadmin: user.isSysadmin, method: "oidc"))
                let started = try await sessions.open(userID: user.id, principal: principal,
                                                      remoteAddress: request.remoteAddress)
                return sessionHeaders(started, timeoutSeconds: sessions.timeoutSeconds, secure: secureCookies)
            },
            caller: { request in
                guard case .user(let principal) = try await api.resolve(request).principal else { return nil }
                return try await store.user(id: principal.id)
            },
            credentialsChanged: { cache.removeAll() })
    }

    /// The headers `POST /c/login` sends for a new session: the HttpOnly session cookie, the readable
    /// CSRF cookie and the CSRF header.
    static func sessionHeaders(_ started: SessionManager.Started, timeoutSeconds: Int64,
                               secure: Bool) -> [(String, String)] {
        func cookie(_ name: String, _ value: String, httpOnly: Bool) -> String {
            var text = "\(name)=\(value); Path=/; Max-Age=\(timeoutSeconds); SameSite=Lax"
            if httpOnly { text += "; HttpOnly" }
            if secure { text += "; Secure" }
            return text
        }
        return [("Set-Cookie", cookie(APIAuthenticator.sessionCookie, started.cookieValue, httpOnly: true)),
                ("Set-Cookie", cookie(APIAuthenticator.csrfCookie, started.csrfToken, httpOnly: false)),
                (APIAuthenticator.csrfHeader, started.csrfToken)]
    }
}
