import BerthAuth
import BerthCrypto
import BerthMetadata
import Testing

/// The CLI secret through the `Authenticator` hook: a registry password, never a portal password, and
/// gone as soon as it is replaced or the user is disabled.
@Suite struct CLISecretLoginTests {
    let fixture: IdentityFixture
    let secrets: CLISecretService
    let authenticator: Authenticator

    init() throws {
        fixture = try IdentityFixture()
        let secrets = CLISecretService(cipher: CLISecretCipher(serverKey: SecureRandom.bytes(32)), store: fixture.store)
        self.secrets = secrets
        authenticator = Authenticator(service: fixture.service, cache: CredentialCache(ttlSeconds: 0),
                                      cliSecretVerifier: { try await secrets.authenticate(username: $0, secret: $1) })
    }

    func oidcUser(_ name: String) async throws -> (UserRecord, String) {
        let record = UserRecord(username: name, email: "", realname: "", comment: "", passwordHash: nil,
                                isSysadmin: false, source: "oidc", oidcSubject: "https://idp.test|\(name)",
                                cliSecret: nil, createdAt: 1, updatedAt: 1)
        let user = try await fixture.store.createUser(record)
        let secret = try await secrets.replace(userID: user.id)
        return (user, secret)
    }

    @Test func cliSecretIsARegistryPasswordButNotAPortalPassword() async throws {
        let (user, secret) = try await oidcUser("erin")
        let principal = try #require(try await authenticator.authenticate(name: "erin", secret: secret))
        guard case .user(let resolved) = principal else { Issue.record("not a user"); return }
        #expect(resolved.id == user.id && resolved.method == "cli_secret")
        #expect(try await authenticator.authenticate(name: "erin", secret: secret + "x") == nil)

        let sessions = SessionManager(authenticator: authenticator)
        await #expect(throws: AuthError.self) {
            _ = try await sessions.login(principal: "erin", password: secret, remoteAddress: "127.0.0.1")
        }
        // A local user's password still opens a session.
        _ = try await fixture.user("frank")
        let started = try await sessions.login(principal: "frank", password: "Passw0rd-frank", remoteAddress: "127.0.0.1")
        #expect(!started.cookieValue.isEmpty)
    }

    @Test func replacedSecretOrDisabledUserIsRefused() async throws {
        let (user, old) = try await oidcUser("gina")
        let new = try await secrets.replace(userID: user.id)
        #expect(new != old)
        #expect(try await authenticator.authenticate(name: "gina", secret: old) == nil)
        #expect(try await authenticator.authenticate(name: "gina", secret: new) != nil)
        var disabled = try #require(try await fixture.store.user(id: user.id))
        disabled.isDisabled = true
        try await fixture.store.updateUser(disabled)
        #expect(try await authenticator.authenticate(name: "gina", secret: new) == nil)
    }
}
