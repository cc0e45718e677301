import BerthMetadata

/// The relying party for the settings in force. Each login asks for it; when the stored settings have
/// changed since the last call (on this node or another), a new `OIDCClient` is built, so discovery and
/// JWKS caches start afresh and the change applies without a restart.
public actor OIDCClientSource {
    /// The client and the onboarding rules of the current settings.
    public struct Active: Sendable {
        public let client: OIDCClient
        public let onboarding: OIDCOnboarding
        public let settings: AuthSettings
    }

    private let settings: AuthSettingsStore
    private let serverKey: [UInt8]
    private let transport: any OIDCHTTPTransport
    private let store: any IdentityStore
    private let secrets: CLISecretService
    private let clock: @Sendable () -> Int64
    private var cached: (configuration: OIDCConfiguration, active: Active)?
    /// How many clients were built, for tests of the rebuild.
    public private(set) var builds = 0

    public init(settings: AuthSettingsStore, serverKey: [UInt8], transport: any OIDCHTTPTransport,
                store: any IdentityStore, secrets: CLISecretService, clock: @escaping @Sendable () -> Int64) {
        self.settings = settings
        self.serverKey = serverKey
        self.transport = transport
        self.store = store
        self.secrets = secrets
        self.clock = clock
    }

    /// The relying party, or nil when single sign-on is not the active mode (or Berth has no callback URL).
    public func current() async throws -> Active? {
        let now = try await settings.current()
        guard now.usesOIDC, let redirect = settings.redirectURL else {
            cached = nil
            return nil
        }
        let configuration = now.oidcConfiguration(redirectURL: redirect)
        if let cached, cached.configuration == configuration { return cached.active }
        let client = OIDCClient(configuration: configuration, serverKey: serverKey, transport: transport, clock: clock)
        let onboarding = OIDCOnboarding(store: store, secrets: secrets, adminGroupConfigured: !now.adminGroup.isEmpty,
                                        clock: clock)
        let active = Active(client: client, onboarding: onboarding, settings: now)
        cached = (configuration, active)
        builds += 1
        return active
    }

    /// The name of user `id` (for audit entries about a user other than the caller), or nil when unknown.
    public nonisolated func username(of id: Int64) async throws -> String? {
        try await store.user(id: id)?.username
    }
}
