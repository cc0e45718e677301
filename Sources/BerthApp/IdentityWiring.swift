import BerthAPI
import BerthAuth
import BerthCore
import BerthCrypto
import BerthMetadata

/// The identity and access parts of the composition root, built from the same database as the
/// registry metadata.
struct IdentityComponents: Sendable {
    let store: any IdentityStore
    let service: IdentityService
    let authenticator: Authenticator
    let decider: AccessDecider
    let tokens: TokenService
    let sessions: SessionManager
    /// Resolves principals for `/api/v2.0` routes.
    let apiAuthenticator: APIAuthenticator
    /// The `/v2` access control.
    let registryAuthorizer: AuthRegistryAuthorizer
    /// OIDC users' CLI secrets, sealed with `serverKey` (see `OIDCWiring`).
    let cliSecrets: CLISecretService
    /// The cluster's OIDC server key, from the shared database (see `SharedKeys`).
    let serverKey: [UInt8]
    /// `BERTH_EXTERNAL_URL`, when set.
    let externalURL: String?
    /// The live authentication mode and OIDC settings (see `OIDCWiring.settingsStore`).
    let authSettings: AuthSettingsStore
    /// The LDAP password check (active while the mode is `ldap_auth`).
    let ldapLogin: LDAPLogin
}

/// Builds `IdentityComponents` and performs first-start bootstrap.
enum IdentityWiring {
    /// Environment: `BERTH_EXTERNAL_URL`, `BERTH_ADMIN_PASSWORD` (first start only), `BERTH_SECURE_COOKIES`,
    /// `BERTH_SECRET_KEY` / `BERTH_SECRET_KEY_FILE` (seals the shared keys in the database; see `SharedKeys`).
    /// Registry access control is always on; there is no switch to run an open registry.
    /// While the live mode is `oidc_auth`, an OIDC user's CLI secret is accepted wherever a password is.
    static func build(dataDirectory: String, metadata: any MetadataStore, oidc: OIDCSettings = OIDCSettings(),
                      environment: (String) -> String? = BerthConfiguration.environment) async throws
        -> IdentityComponents {
        // Project and membership lookups (two per registry request) are cached for a few seconds; every
        // change made through this store forgets them at once (see CachingIdentityStore).
        let store = CachingIdentityStore(base: try identityStore(dataDirectory: dataDirectory, metadata: metadata))
        let service = IdentityService(store: store)
        let keys = try SharedKeys(store: store, sealingSecret: try sealingSecret(environment),
                                  log: { Log.info("keys: \($0)") })
        let serverKey = try await keys.serverKey(legacyFile: dataDirectory + "/" + OIDCWiring.keyFileName)
        let cliSecrets = CLISecretService(cipher: CLISecretCipher(serverKey: serverKey), store: store)
        let external = environment("BERTH_EXTERNAL_URL").flatMap { $0.isEmpty ? nil : $0 }
        let authSettings = try await OIDCWiring.settingsStore(oidc, store: store, serverKey: serverKey,
                                                              externalURL: external)
        // One lockout for the portal login and for Basic credentials on /v2, /service/token and the API.
        let throttle = LoginThrottle()
        let ldapLogin = LDAPLogin(settings: authSettings, store: store)
        let authenticator = Authenticator(service: service, throttle: throttle, cliSecretVerifier: { name, secret in
            guard try await authSettings.current().usesOIDC else { return nil }
            return try await cliSecrets.authenticate(username: name, secret: secret)
        }, directoryVerifier: { name, password in try await ldapLogin.verify(username: name, password: password) })
        let decider = AccessDecider(store: store)
        let key = try await keys.tokenSigningKey(legacyFile: dataDirectory + "/" + tokenKeyFileName)
        // Harbor's session_timeout and token_expiration, changeable through /configurations on any node.
        let timeouts = SecurityTimeouts(store: store)
        let tokens = TokenService(key: key, timeouts: timeouts, decider: decider)
        let sessions = SessionManager(authenticator: authenticator, throttle: throttle, timeouts: timeouts)
        return IdentityComponents(
            store: store, service: service, authenticator: authenticator, decider: decider, tokens: tokens,
            sessions: sessions, apiAuthenticator: APIAuthenticator(authenticator: authenticator, sessions: sessions,
                                                                   tokens: tokens),
            registryAuthorizer: AuthRegistryAuthorizer(authenticator: authenticator, decider: decider, tokens: tokens,
                                                       externalURL: external),
            cliSecrets: cliSecrets, serverKey: serverKey, externalURL: external, authSettings: authSettings,
            ldapLogin: ldapLogin)
    }

    /// The token signing key file of earlier versions, imported once into the database.
    static let tokenKeyFileName = "token-signing.key"

    /// The secret that seals the shared keys in the database: `BERTH_SECRET_KEY`, or the contents of the
    /// file named by `BERTH_SECRET_KEY_FILE` (trailing white space removed); nil when neither is set.
    static func sealingSecret(_ environment: (String) -> String?) throws -> [UInt8]? {
        if let value = environment("BERTH_SECRET_KEY"), !value.isEmpty { return Array(value.utf8) }
        guard let path = environment("BERTH_SECRET_KEY_FILE"), !path.isEmpty else { return nil }
        guard var bytes = try SigningKeyFile.contents(path: path) else {
            throw ConfigurationError("BERTH_SECRET_KEY_FILE \(path) does not exist")
        }
        while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 || last == 0x09 { bytes.removeLast() }
        return bytes
    }

    /// The identity store on the metadata database (SQLite or PostgreSQL), so every node of a cluster
    /// shares users, projects, robots and sessions. Another metadata store keeps identity in
    /// `identity.db` in the data directory.
    static func identityStore(dataDirectory: String, metadata: any MetadataStore) throws -> any IdentityStore {
        if let sqlite = metadata as? SQLiteMetadataStore { return sqlite.identityStore() }
        if let postgres = metadata as? PostgresMetadataStore { return postgres.identityStore() }
        Log.warning("identity data is kept in \(dataDirectory)/identity.db (no identity store on this metadata store)")
        return try SQLiteMetadataStore(path: dataDirectory + "/identity.db").identityStore()
    }

    /// First start: creates `admin` (password from `BERTH_ADMIN_PASSWORD`, else random and printed once)
    /// and the public `library` project. Returns the generated password, if one was generated.
    @discardableResult
    static func bootstrap(_ service: IdentityService,
                          environment: (String) -> String? = BerthConfiguration.environment) async throws -> String? {
        var generated: String?
        if try await service.store.user(named: "admin") == nil {
            let password: String
            if let given = environment("BERTH_ADMIN_PASSWORD"), !given.isEmpty {
                password = given
            } else {
                password = IdentityService.randomSecret()
                generated = password
            }
            _ = try await service.createUser(username: "admin", password: password, comment: "system administrator",
                                             isSysadmin: true)
            if let generated {
                Console.out("Created the admin user. Its password, shown only this once: \(generated)")
            } else {
                Console.out("Created the admin user with the password from BERTH_ADMIN_PASSWORD")
            }
        }
        if try await service.store.project(named: "library") == nil,
           let admin = try await service.store.user(named: "admin") {
            let principal = Principal.user(UserPrincipal(id: admin.id, username: admin.username, isSysadmin: true,
                                                         method: "bootstrap"))
            _ = try await service.createProject(name: "library", creator: principal, isPublic: true)
        }
        return generated
    }
}
