import BerthAPI
import BerthAuth
import BerthCore
import BerthMetadata
import BerthRegistry
import BerthStorage
import Dispatch
import Glibc
import HTTPServer

/// The composition root: builds storage, metadata, the registry and the HTTP server from a
/// configuration, runs until SIGTERM or SIGINT, then shuts down gracefully.
public final class BerthApplication: Sendable {
    public let configuration: BerthConfiguration
    let server: HTTPServer
    let registry: Registry
    let identity: IdentityComponents
    let authEnabled: Bool

    /// Opens the stores and binds the listener; nothing is served until `run()`.
    public init(configuration: BerthConfiguration) async throws {
        try configuration.validate()
        self.configuration = configuration
        Log.configure(level: try configuration.logLevel(), json: configuration.log.json)

        try DataDirectory.prepare(configuration.dataDirectory)
        let blobs = try StoreFactory.blobStore(configuration)
        let metadata = try StoreFactory.metadataStore(configuration)
        var registryConfiguration = RegistryConfiguration()
        registryConfiguration.maxManifestBytes = configuration.maxManifestBytes
        registryConfiguration.uploadPurgeAgeSeconds = configuration.uploadPurgeAgeSeconds
        registry = Registry(blobs: blobs, metadata: metadata, configuration: registryConfiguration)

        let identity = try IdentityWiring.build(dataDirectory: configuration.dataDirectory, metadata: metadata)
        try await IdentityWiring.bootstrap(identity.service)
        self.identity = identity
        authEnabled = IdentityWiring.authEnabled()
        var router = HTTPRouter()
        let authorizer: any RegistryAuthorizer = authEnabled ? identity.registryAuthorizer : OpenAccess()
        RegistryRoutes(registry: registry, authorizer: authorizer, maxManifestBytes: configuration.maxManifestBytes)
            .register(on: &router)
        TokenRoutes(authenticator: identity.authenticator, tokens: identity.tokens).register(on: &router)
        LoginRoutes(sessions: identity.sessions,
                    secureCookies: ["1", "true", "yes"].contains((BerthConfiguration.environment("BERTH_SECURE_COOKIES") ?? "").lowercased()))
            .register(on: &router)
        server = HTTPServer(configuration: try Self.serverConfiguration(configuration), handler: router.handler())
    }

    static func serverConfiguration(_ configuration: BerthConfiguration) throws -> HTTPServerConfiguration {
        let (host, port) = try configuration.listenAddress()
        var server = HTTPServerConfiguration()
        server.host = host
        server.port = port
        if configuration.http.eventLoops > 0 { server.eventLoops = configuration.http.eventLoops }
        server.maxHeadBytes = configuration.http.maxHeadBytes
        server.maxHeaderCount = configuration.http.maxHeaderCount
        server.maxURILength = configuration.http.maxURILength
        server.idleTimeoutSeconds = configuration.http.idleTimeoutSeconds
        server.headReadTimeoutSeconds = configuration.http.headReadTimeoutSeconds
        server.bodyStallTimeoutSeconds = configuration.http.bodyStallTimeoutSeconds
        if configuration.http.accessLog { server.accessLog = AccessLogWriter.write }
        return server
    }

    /// Serves until SIGTERM or SIGINT, then stops accepting, lets requests in flight finish
    /// (up to the grace period) and returns.
    public func run() async throws {
        try server.start()
        let (host, _) = try configuration.listenAddress()
        Console.out("Berth listening on http://\(host):\(server.boundPort)")
        if authEnabled {
            Console.out("Access control is on: log in (docker login) as admin or another user or robot")
        } else {
            Console.out("The registry is open (set BERTH_AUTH_ENABLED=1 to require logins): "
                + "skopeo copy … docker://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(server.boundPort)/library/NAME:TAG")
        }
        let purge = Task { [registry, configuration] in
            await UploadPurger(registry: registry, intervalSeconds: configuration.uploadPurgeIntervalSeconds).run()
        }
        let signal = await ShutdownSignal.wait()
        Log.info("received \(signal), shutting down (grace \(configuration.shutdownGraceSeconds)s)")
        purge.cancel()
        await server.shutdown(gracePeriodSeconds: configuration.shutdownGraceSeconds)
        Log.info("stopped")
    }
}
