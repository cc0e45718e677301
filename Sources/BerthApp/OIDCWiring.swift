import BerthAPI
import BerthAuth
import BerthCore
import BerthCrypto
import BerthMetadata
import Glibc
import HTTPServer

/// The OIDC single sign-on parts of the composition root: the server key, the CLI secret service and,
/// when `oidc.endpoint` is set, the relying-party client and its routes.
enum OIDCWiring {
    /// The server key file of earlier versions in the data directory (32 or more random bytes). `serve`
    /// now keeps the key in the shared database (`SharedKeys`, shared by every node of a cluster) and only
    /// imports this file once. The key seals the CLI secrets and signs the login-state cookie; replacing it
    /// makes stored CLI secrets unreadable (users then regenerate them).
    static let keyFileName = "oidc-server.key"
    static let keyLength = 32

    /// Loads a server key file, creating it (atomically, 0600) when absent. A file shorter than 32 bytes
    /// is refused rather than silently replaced. `serve` does not use it (see `SharedKeys`); it remains
    /// for a single node's key file outside any database.
    static func loadOrCreateServerKey(dataDirectory: String) throws -> [UInt8] {
        let path = dataDirectory + "/" + keyFileName
        if let bytes = try readKey(path) {
            guard bytes.count >= keyLength else {
                throw ConfigurationError("\(path) holds \(bytes.count) bytes; at least \(keyLength) are required")
            }
            return bytes
        }
        let key = SecureRandom.bytes(keyLength)
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw ConfigurationError("cannot create \(temporary): errno \(errno)") }
        let written = key.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == key.count, synced == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ConfigurationError("cannot write \(path): errno \(errno)")
        }
        return key
    }

    private static func readKey(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw ConfigurationError("cannot read \(path): errno \(errno)")
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { throw ConfigurationError("cannot read \(path): errno \(errno)") }
            if count == 0 { break }
            out += buffer[0..<count]
        }
        return out
    }

    /// The relying-party configuration from the settings; the callback defaults to
    /// `<external URL>/c/oidc/callback`.
    static func configuration(_ settings: OIDCSettings, externalURL: String?) throws -> OIDCConfiguration {
        var redirect = settings.redirectURL
        if redirect.isEmpty {
            guard var base = externalURL, !base.isEmpty else {
                throw ConfigurationError("oidc.redirectURL or BERTH_EXTERNAL_URL is required when oidc.endpoint is set")
            }
            while base.hasSuffix("/") { base.removeLast() }
            redirect = base + "/c/oidc/callback"
        }
        return OIDCConfiguration(issuer: settings.endpoint, clientID: settings.clientID,
                                 clientSecret: settings.clientSecret, scope: settings.scope,
                                 usernameClaim: settings.usernameClaim, groupsClaim: settings.groupsClaim,
                                 adminGroup: settings.adminGroup, verifyTLS: settings.verifyTLS, redirectURL: redirect)
    }

    /// Adds the OIDC routes to `router` when `settings` enable single sign-on; does nothing otherwise.
    static func register(on router: inout HTTPRouter, settings: OIDCSettings, identity: IdentityComponents,
                         secureCookies: Bool) throws {
        guard settings.isEnabled else { return }
        try routes(settings: settings, externalURL: identity.externalURL, serverKey: identity.serverKey,
                   secrets: identity.cliSecrets, identity: identity, secureCookies: secureCookies)
            .register(on: &router)
        Log.info("OIDC single sign-on enabled with \(settings.endpoint)")
    }

    /// The OIDC routes (`/c/oidc/login`, `/c/oidc/callback`, `PUT /api/v2.0/users/{id}/cli_secret`),
    /// ending a login with the same session cookies as `POST /c/login`.
    static func routes(settings: OIDCSettings, externalURL: String?, serverKey: [UInt8], secrets: CLISecretService,
                       identity: IdentityComponents, secureCookies: Bool) throws -> OIDCRoutes {
        let configuration = try configuration(settings, externalURL: externalURL)
        let client = OIDCClient(configuration: configuration, serverKey: serverKey,
                                transport: OIDCURLSessionTransport(), clock: IdentityClock.now)
        let onboarding = OIDCOnboarding(store: identity.store, secrets: secrets,
                                        adminGroupConfigured: !settings.adminGroup.isEmpty, clock: IdentityClock.now)
        let sessions = identity.sessions
        let api = identity.apiAuthenticator
        let store = identity.store
        let cache = identity.authenticator.cache
        return OIDCRoutes(
            client: client, onboarding: onboarding, secrets: secrets, secureCookies: secureCookies,
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
