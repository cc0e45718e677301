import BerthAuth
import BerthCrypto
import BerthMetadata
import Testing

/// The run-time authentication settings: validation, the sealed client secret, file-versus-database
/// precedence, and the relying party rebuilt when they change.
@Suite struct AuthSettingsTests {
    static let redirect = "https://berth.test/c/oidc/callback"

    static func oidc(endpoint: String = OIDCTestProvider.issuer, clientID: String = "berth",
                     secret: String = "client-s3cret-value") -> AuthSettings {
        var settings = AuthSettings()
        settings.mode = .oidc
        settings.oidcName = "Test IdP"
        settings.endpoint = endpoint
        settings.clientID = clientID
        settings.clientSecret = secret
        settings.adminGroup = "berth-admins"
        return settings
    }

    @Test func validationNamesTheOffendingKey() throws {
        try AuthSettings().validate()
        try Self.oidc().validate()
        func message(_ settings: AuthSettings) -> String? {
            do { try settings.validate() } catch { if case .invalidInput(let text) = error { return text } }
            return nil
        }
        var settings = Self.oidc(endpoint: "")
        #expect(message(settings)?.contains("oidc_endpoint is required") == true)
        settings = Self.oidc(clientID: "")
        #expect(message(settings)?.contains("oidc_client_id") == true)
        for bad in ["ftp://idp.test", "idp.test", "https://", "https://idp.test/?x=1", "https://u@idp.test"] {
            #expect(message(Self.oidc(endpoint: bad))?.contains("oidc_endpoint must be") == true, "\(bad)")
        }
        settings = Self.oidc()
        settings.verifyCert = false
        #expect(message(settings)?.contains("oidc_verify_cert") == true)
        settings = Self.oidc()
        settings.autoOnboard = false
        #expect(message(settings)?.contains("oidc_auto_onboard") == true)
        settings = Self.oidc()
        settings.adminGroup = "ops\nadmins"
        #expect(message(settings)?.contains("oidc_admin_group") == true)
        settings = Self.oidc(secret: "not-in-any-message\u{7}")
        #expect(message(settings)?.contains("not-in-any-message") == false, "the secret is never echoed")
        // Local accounts need no provider at all.
        var local = AuthSettings()
        local.mode = .database
        local.endpoint = ""
        try local.validate()
        #expect(AuthSettings.Mode(rawValue: "ldap_auth") == .ldap)
        #expect(AuthSettings.Mode(rawValue: "uaa_auth") == nil)
        var ldap = AuthSettings()
        ldap.mode = .ldap
        #expect(message(ldap)?.contains("ldap_url") == true, "ldap_auth needs a directory")
    }

    @Test func fileSettingsApplyUntilTheFirstChangeThenTheDatabaseWins() async throws {
        let fixture = try IdentityFixture()
        let key = SecureRandom.bytes(32)
        var fromFile = Self.oidc(secret: "file-secret-1")
        fromFile.oidcName = "From file"
        let node = AuthSettingsStore(store: fixture.store, serverKey: key, initial: fromFile, redirectURL: Self.redirect)
        #expect(try await node.current() == fromFile)
        #expect(try await node.isStored() == false)

        var changed = Self.oidc(clientID: "changed", secret: "api-secret-2")
        changed.oidcName = "From API"
        try await node.save(changed)
        #expect(try await node.current() == changed)
        #expect(try await node.isStored())
        // Another node started with a different file sees the stored settings.
        let other = AuthSettingsStore(store: fixture.store, serverKey: key, initial: AuthSettings(), redirectURL: nil)
        #expect(try await other.current() == changed)

        // The secret is sealed in the database, not stored in the clear.
        let raw = try #require(try await fixture.store.setting(AuthSettingsStore.settingName))
        #expect(!raw.contains("api-secret-2"))
        #expect(raw.contains("\"oidc_client_id\":\"changed\""))
        // Under another server key the secret cannot be read back (and nothing else is lost).
        let foreign = AuthSettingsStore(store: fixture.store, serverKey: SecureRandom.bytes(32), initial: fromFile,
                                        redirectURL: Self.redirect)
        let read = try await foreign.current()
        #expect(read.clientSecret == "" && read.clientID == "changed")
    }

    @Test func invalidOrCallbackLessSettingsAreNotStored() async throws {
        let fixture = try IdentityFixture()
        let noCallback = AuthSettingsStore(store: fixture.store, serverKey: SecureRandom.bytes(32),
                                           initial: AuthSettings(), redirectURL: nil)
        await #expect(throws: AuthError.self) { try await noCallback.save(Self.oidc()) }
        await #expect(throws: AuthError.self) { try await noCallback.save(Self.oidc(endpoint: "file:///etc")) }
        #expect(try await noCallback.isStored() == false)
        #expect(try await noCallback.current().mode == .database)
        try await fixture.store.setSetting(AuthSettingsStore.settingName, "{not json")
        await #expect(throws: MetadataError.self) { try await noCallback.current() }
    }

    @Test func relyingPartyFollowsTheStoredSettings() async throws {
        let fixture = try IdentityFixture()
        let key = SecureRandom.bytes(32)
        let settings = AuthSettingsStore(store: fixture.store, serverKey: key, initial: AuthSettings(),
                                         redirectURL: Self.redirect)
        let provider = OIDCTestProvider()
        let secrets = CLISecretService(cipher: CLISecretCipher(serverKey: key), store: fixture.store)
        let source = OIDCClientSource(settings: settings, serverKey: key, transport: provider, store: fixture.store,
                                      secrets: secrets, clock: { 1_000_010 })
        #expect(try await source.current() == nil, "local accounts only: no relying party")

        try await settings.save(Self.oidc(clientID: "first"))
        let first = try #require(try await source.current())
        #expect(await first.client.configuration.clientID == "first")
        #expect(await first.client.configuration.redirectURL == Self.redirect)
        _ = try #require(try await source.current())
        #expect(await source.builds == 1, "unchanged settings reuse the client and its caches")

        try await settings.save(Self.oidc(clientID: "berth"))
        let second = try #require(try await source.current())
        #expect(await source.builds == 2)
        #expect(second.settings.clientID == "berth")
        // A whole login through the rebuilt client, onboarding the user with the admin group in force.
        provider.state.withLock { $0.claims = ["preferred_username": "dana"]; $0.groups = ["berth-admins"] }
        let start = try await second.client.start()
        #expect(start.authorizationURL.contains("client_id=berth&"))
        let (code, state) = provider.authorize(url: start.authorizationURL)
        let (identity, _) = try await second.client.finish(code: code, state: state, cookie: start.cookie)
        let (user, created) = try await second.onboarding.onboard(identity)
        #expect(created && user.username == "dana" && user.isSysadmin)

        var local = try await settings.current()
        local.mode = .database
        try await settings.save(local)
        #expect(try await source.current() == nil, "switched back to local accounts")
    }
}
