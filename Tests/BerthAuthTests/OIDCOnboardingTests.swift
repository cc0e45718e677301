import BerthAuth
import BerthCrypto
import BerthMetadata
import FoundationEssentials
import Testing

@Suite struct OIDCOnboardingTests {
    let store: SQLiteIdentityStore
    let secrets: CLISecretService
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.path + "/berth-oidc-" + SecureRandom.hexToken(bytes: 6)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteMetadataStore(path: directory + "/berth.db").identityStore()
        secrets = CLISecretService(cipher: CLISecretCipher(serverKey: SecureRandom.bytes(32)), store: store)
    }

    func identity(_ name: String, groups: [String] = [], subject: String = "sub-1") throws -> OIDCIdentity {
        var claims: [String: OIDCClaimValue] = ["iss": .string("https://idp.test"), "sub": .string(subject),
                                                "preferred_username": .string(name), "email": .string(name + "@x.test")]
        claims["groups"] = .array(groups.map { .string($0) })
        let configuration = OIDCConfiguration(issuer: "https://idp.test", clientID: "c", clientSecret: "s",
                                              adminGroup: "admins", redirectURL: "https://b.test/c/oidc/callback")
        return try OIDCIdentity(claims: claims, configuration: configuration)
    }

    func onboarding() -> OIDCOnboarding {
        OIDCOnboarding(store: store, secrets: secrets, adminGroupConfigured: true, clock: { 1_000 })
    }

    @Test func firstLoginCreatesTheUserWithACLISecret() async throws {
        let (user, created) = try await onboarding().onboard(identity("alice"))
        #expect(created)
        #expect(user.username == "alice" && user.source == "oidc" && !user.isSysadmin)
        #expect(user.oidcSubject == "https://idp.test|sub-1")
        let secret = try #require(secrets.reveal(user))
        #expect(CLISecretPolicy.isAcceptable(secret))
        #expect(user.cliSecret?.contains(secret) == false, "stored sealed, not in clear")
        #expect(try await secrets.authenticate(username: "alice", secret: secret)?.id == user.id)
        #expect(try await secrets.authenticate(username: "alice", secret: secret + "x") == nil)

        let (again, createdAgain) = try await onboarding().onboard(identity("alice"))
        #expect(!createdAgain && again.id == user.id)
        #expect(secrets.reveal(again) == secret, "a later login keeps the secret")
    }

    @Test func adminGroupGrantsAndRevokesSysadmin() async throws {
        let (admin, _) = try await onboarding().onboard(identity("bob", groups: ["devs", "admins"]))
        #expect(admin.isSysadmin)
        let (demoted, _) = try await onboarding().onboard(identity("bob", groups: ["devs"]))
        #expect(!demoted.isSysadmin)
    }

    @Test func regenerateInvalidatesTheOldSecretAndDisableStopsIt() async throws {
        let (user, _) = try await onboarding().onboard(identity("carol"))
        let old = try #require(secrets.reveal(user))
        let new = try await secrets.replace(userID: user.id)
        #expect(new != old)
        #expect(try await secrets.authenticate(username: "carol", secret: old) == nil)
        #expect(try await secrets.authenticate(username: "carol", secret: new) != nil)
        try await secrets.replace(userID: user.id, with: "Chosen1234")
        #expect(try await secrets.authenticate(username: "carol", secret: "Chosen1234") != nil)
        await #expect(throws: CLISecretService.Failure.weakSecret) { try await secrets.replace(userID: user.id, with: "weak") }

        var disabled = try #require(try await store.user(id: user.id))
        disabled.isDisabled = true
        try await store.updateUser(disabled)
        #expect(try await secrets.authenticate(username: "carol", secret: "Chosen1234") == nil)
        await #expect(throws: OIDCOnboarding.Failure.disabled) { _ = try await onboarding().onboard(identity("carol")) }
    }

    @Test func localUsersHaveNoCLISecretAndKeepTheirName() async throws {
        let local = try await store.createUser(UserRecord(username: "dave", passwordHash: "x"))
        await #expect(throws: CLISecretService.Failure.notAnOIDCUser) { try await secrets.replace(userID: local.id) }
        await #expect(throws: OIDCOnboarding.Failure.usernameTaken("dave")) {
            _ = try await onboarding().onboard(identity("dave", subject: "other"))
        }
    }
}
