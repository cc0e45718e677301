import BerthAuth
import BerthCrypto
import Synchronization
import Testing

@Suite struct OIDCClientTests {
    static let key = SecureRandom.bytes(32)

    static func configuration() -> OIDCConfiguration {
        OIDCConfiguration(issuer: OIDCTestProvider.issuer, clientID: "berth", clientSecret: "s3cret",
                          groupsClaim: "groups", adminGroup: "berth-admins",
                          redirectURL: "https://berth.test/c/oidc/callback")
    }

    static func client(_ provider: OIDCTestProvider, now: Int64 = 1_000_010) -> OIDCClient {
        OIDCClient(configuration: configuration(), serverKey: key, transport: provider, clock: { now })
    }

    @Test(arguments: ["RS256", "ES256"])
    func fullLoginVerifiesTheToken(algorithm: String) async throws {
        let provider = OIDCTestProvider(algorithm: algorithm)
        provider.state.withLock { $0.claims = ["preferred_username": "alice", "email": "a@example.test"]; $0.groups = ["devs"] }
        let client = Self.client(provider)
        let start = try await client.start(redirectPath: "/harbor/projects")
        #expect(start.authorizationURL.hasPrefix(OIDCTestProvider.issuer + "/authorize?response_type=code&client_id=berth"))
        #expect(start.authorizationURL.contains("code_challenge_method=S256"))
        let (code, state) = provider.authorize(url: start.authorizationURL)
        let (identity, login) = try await client.finish(code: code, state: state, cookie: start.cookie)
        #expect(identity.username == "alice")
        #expect(identity.subject == "user-1")
        #expect(identity.email == "a@example.test")
        #expect(identity.groups == ["devs"])
        #expect(identity.isAdmin == false)
        #expect(identity.storedSubject == OIDCTestProvider.issuer + "|user-1")
        #expect(login.redirectPath == "/harbor/projects")
    }

    @Test func adminGroupAndSubFallback() async throws {
        let provider = OIDCTestProvider()
        provider.state.withLock { $0.groups = ["devs", "berth-admins"] }
        let client = Self.client(provider)
        let start = try await client.start()
        let (code, state) = provider.authorize(url: start.authorizationURL)
        let (identity, _) = try await client.finish(code: code, state: state, cookie: start.cookie)
        #expect(identity.username == "user-1")
        #expect(identity.isAdmin)
    }

    @Test func wrongPKCEVerifierIsRefusedByTheProvider() async throws {
        let provider = OIDCTestProvider()
        let client = Self.client(provider)
        let first = try await client.start()
        let second = try await client.start()
        let (code, state) = provider.authorize(url: first.authorizationURL)
        // A cookie from another login carries another state and verifier: the state check refuses it.
        await #expect(throws: OIDCError.invalidState("state mismatch")) {
            _ = try await client.finish(code: code, state: state, cookie: second.cookie)
        }
    }

    @Test func loginStateExpires() async throws {
        let provider = OIDCTestProvider()
        let start = try await Self.client(provider, now: 1_000_000).start()
        let (code, state) = provider.authorize(url: start.authorizationURL)
        let late = Self.client(provider, now: 1_000_000 + 601)
        await #expect(throws: OIDCError.invalidState("expired")) {
            _ = try await late.finish(code: code, state: state, cookie: start.cookie)
        }
    }

    @Test func tamperedCookieIsRefused() async throws {
        let provider = OIDCTestProvider()
        let client = Self.client(provider)
        let start = try await client.start()
        let (code, state) = provider.authorize(url: start.authorizationURL)
        var cookie = Array(start.cookie.utf8)
        cookie[3] = cookie[3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        await #expect(throws: OIDCError.invalidState("bad signature")) {
            _ = try await client.finish(code: code, state: state, cookie: String(decoding: cookie, as: UTF8.self))
        }
    }

    @Test func badNonceIsRefused() async throws {
        let provider = OIDCTestProvider()
        provider.state.withLock { $0.overrideNonce = "replayed" }
        let client = Self.client(provider)
        let start = try await client.start()
        let (code, state) = provider.authorize(url: start.authorizationURL)
        await #expect(throws: OIDCError.invalidClaims("nonce")) {
            _ = try await client.finish(code: code, state: state, cookie: start.cookie)
        }
    }

    @Test func otherAudienceIsRefused() async throws {
        let provider = OIDCTestProvider()
        provider.state.withLock { $0.audience = "another-client" }
        let client = Self.client(provider)
        let start = try await client.start()
        let (code, state) = provider.authorize(url: start.authorizationURL)
        await #expect(throws: OIDCError.invalidClaims("aud")) {
            _ = try await client.finish(code: code, state: state, cookie: start.cookie)
        }
    }

    @Test func expiredTokenIsRefused() async throws {
        let provider = OIDCTestProvider()
        provider.state.withLock { $0.lifetime = 5 }
        let client = Self.client(provider, now: 1_000_000 + 5 + 61)
        let start = try await client.start()
        let (code, state) = provider.authorize(url: start.authorizationURL)
        await #expect(throws: OIDCError.invalidClaims("expired")) {
            _ = try await client.finish(code: code, state: state, cookie: start.cookie)
        }
    }

    @Test func keyRotationRefetchesForAnUnknownKidAtMostOncePerInterval() async throws {
        let provider = OIDCTestProvider(algorithm: "ES256")
        let time = Atomic<Int64>(1_000_010)
        let client = OIDCClient(configuration: Self.configuration(), serverKey: Self.key, transport: provider,
                                keyRefreshSeconds: 30, clock: { time.load(ordering: .relaxed) })
        func login() async throws -> OIDCIdentity {
            let start = try await client.start()
            let (code, state) = provider.authorize(url: start.authorizationURL)
            return try await client.finish(code: code, state: state, cookie: start.cookie).0
        }
        _ = try await login()
        _ = try await login()
        #expect(await client.keyFetchCount() == 1)
        provider.addKey(kid: "k2", algorithm: "RS256", use: true)
        // Within the interval an unknown kid is refused without asking the provider again.
        await #expect(throws: OIDCError.invalidSignature("no provider key for kid k2")) { _ = try await login() }
        #expect(await client.keyFetchCount() == 1)
        time.store(1_000_010 + 31, ordering: .relaxed)
        provider.state.withLock { $0.issuedAt = 1_000_030 }
        #expect(try await login().subject == "user-1")
        #expect(await client.keyFetchCount() == 2)
    }
}
