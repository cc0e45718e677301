/// The relying party: starts logins (authorization-code flow with PKCE S256) and finishes them (code
/// exchange, ID token verification). It knows nothing of HTTP requests or users; `BerthAPI` turns its
/// results into redirects, cookies and sessions.
public actor OIDCClient {
    public let configuration: OIDCConfiguration
    private let transport: any OIDCHTTPTransport
    private let keyCache: OIDCKeyCache
    private let sealer: OIDCLoginStateSealer
    private let clock: @Sendable () -> Int64
    private var metadata: OIDCProviderMetadata?
    private var metadataFetchedAt: Int64 = .min
    /// How long discovery stays cached.
    static let metadataTTLSeconds: Int64 = 3_600

    /// A client for one provider. `serverKey` signs the login-state cookie (at least 32 bytes).
    public init(configuration: OIDCConfiguration, serverKey: [UInt8], transport: any OIDCHTTPTransport,
                keyRefreshSeconds: Int64 = 30, clock: @escaping @Sendable () -> Int64) {
        self.configuration = configuration
        self.transport = transport
        keyCache = OIDCKeyCache(transport: transport, minimumRefreshSeconds: keyRefreshSeconds)
        sealer = OIDCLoginStateSealer(serverKey: serverKey)
        self.clock = clock
    }

    /// A started login: send the browser to `authorizationURL` and keep `cookie` (the sealed state).
    public struct Start: Sendable {
        public let authorizationURL: String
        public let cookie: String
        public let state: OIDCLoginState
    }

    /// Starts a login that returns to `redirectPath` afterwards.
    public func start(redirectPath: String = "/") async throws -> Start {
        let provider = try await discover()
        let state = OIDCLoginState.fresh(redirectPath: redirectPath, now: clock())
        let query = OIDCFormEncoding.encode([
            ("response_type", "code"),
            ("client_id", configuration.clientID),
            ("redirect_uri", configuration.redirectURL),
            ("scope", configuration.requestedScopes.joined(separator: " ")),
            ("state", state.state),
            ("nonce", state.nonce),
            ("code_challenge", OIDCPKCE.challenge(for: state.verifier)),
            ("code_challenge_method", "S256"),
        ])
        let separator = provider.authorizationEndpoint.contains("?") ? "&" : "?"
        return Start(authorizationURL: provider.authorizationEndpoint + separator + query,
                     cookie: sealer.seal(state), state: state)
    }

    /// Finishes a login from the callback's `code` and `state` and the login cookie; returns who it is.
    public func finish(code: String, state: String, cookie: String) async throws -> (OIDCIdentity, OIDCLoginState) {
        let now = clock()
        let login = try sealer.open(cookie, expectedState: state, now: now,
                                    maxAgeSeconds: configuration.loginTimeoutSeconds)
        guard !code.isEmpty else { throw OIDCError.provider("no authorization code") }
        let provider = try await discover()
        let idToken = try await exchange(code: code, verifier: login.verifier, provider: provider)
        let verifier = OIDCIDTokenVerifier(issuer: provider.issuer, clientID: configuration.clientID,
                                           clockSkewSeconds: configuration.clockSkewSeconds)
        let claims = try await verifier.verify(idToken, nonce: login.nonce, now: now, keys: keyCache,
                                               jwksURI: provider.jwksURI)
        return (try OIDCIdentity(claims: claims, configuration: configuration), login)
    }

    /// The provider's discovery document, cached for an hour.
    public func discover() async throws -> OIDCProviderMetadata {
        let now = clock()
        if let metadata, now - metadataFetchedAt < Self.metadataTTLSeconds { return metadata }
        let url = configuration.issuerBase + "/.well-known/openid-configuration"
        let response: OIDCHTTPResponse
        do { response = try await transport.get(url) } catch { throw OIDCError.provider("discovery: \(error)") }
        guard response.status == 200 else { throw OIDCError.provider("discovery answered \(response.status)") }
        let parsed = try OIDCProviderMetadata.parse(response.body, expectedIssuer: configuration.issuer)
        metadata = parsed
        metadataFetchedAt = now
        return parsed
    }

    /// The JWKS fetch count, for tests of the cache.
    public func keyFetchCount() async -> Int { await keyCache.fetchCount }

    private func exchange(code: String, verifier: String, provider: OIDCProviderMetadata) async throws -> String {
        let credentials = OIDCFormEncoding.escape(configuration.clientID) + ":"
            + OIDCFormEncoding.escape(configuration.clientSecret)
        let fields = [("grant_type", "authorization_code"), ("code", code),
                      ("redirect_uri", configuration.redirectURL), ("code_verifier", verifier)]
        let response: OIDCHTTPResponse
        do {
            response = try await transport.postForm(provider.tokenEndpoint, fields: fields,
                                                     headers: [("Authorization", "Basic " + OIDCBasicAuth.encode(credentials))])
        } catch {
            throw OIDCError.provider("token endpoint: \(error)")
        }
        guard response.status == 200 else {
            throw OIDCError.provider("token endpoint answered \(response.status): "
                + String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        return try OIDCTokenResponse.idToken(from: response.body)
    }
}
