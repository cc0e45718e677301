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
    /// The HTTPS listener, when `tls.listen` is set; it shares the handler and metrics with `server`.
    let httpsServer: HTTPServer?
    let metrics: MetricsCatalog
    let registry: Registry
    let identity: IdentityComponents
    /// The Harbor API's audit writer (nil when the metadata store has no listing and audit support).
    let audit: HarborAuditLog?
    /// The durable job queue (nil when the metadata store has no SQL database behind it).
    let jobs: JobsWiring?
    /// The metadata store, for the metrics collector's listing queries.
    let registryMetadata: any MetadataStore

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
        registryMetadata = metadata
        let jobs = JobsWiring.build(metadata: metadata, registry: registry)
        self.jobs = jobs

        let identity = try await IdentityWiring.build(dataDirectory: configuration.dataDirectory, metadata: metadata,
                                                      oidc: configuration.oidc)
        try await IdentityWiring.bootstrap(identity.service)
        self.identity = identity
        let audit = Self.auditLog(metadata: metadata, identity: identity)
        self.audit = audit
        identity.ldapLogin.whenOnboarded { [audit] user in
            audit?.record(project: nil, username: user.username, resource: user.username, resourceType: "user",
                          operation: "create", address: "")
        }
        let scanning = ScanWiring.build(metadata: metadata, registry: registry, jobs: jobs,
                                        dataDirectory: configuration.dataDirectory, identity: identity.service.store)
        var router = HTTPRouter()
        let readOnly = ReadOnlyMode(enabled: configuration.readOnly)
        // Access control is always on: anonymous callers may only pull from public projects.
        RegistryRoutes(registry: registry, authorizer: identity.registryAuthorizer,
                       maxManifestBytes: configuration.maxManifestBytes, auditSink: audit, pullGate: scanning?.gate)
            .register(on: &router)
        TokenRoutes(authenticator: identity.authenticator, tokens: identity.tokens, sessions: identity.sessions).register(on: &router)
        LoginRoutes(sessions: identity.sessions,
                    secureCookies: ["1", "true", "yes"].contains((BerthConfiguration.environment("BERTH_SECURE_COOKIES") ?? "").lowercased()),
                    audit: audit)
            .register(on: &router)
        OIDCWiring.routes(identity: identity, transport: OIDCURLSessionTransport(),
                          secureCookies: ["1", "true", "yes"].contains((BerthConfiguration.environment("BERTH_SECURE_COOKIES") ?? "").lowercased()))
            .auditing(audit).register(on: &router)
        if let audit, let listings = metadata as? any ListingStore {
            let authenticator = identity.apiAuthenticator
            let cache = identity.authenticator.cache
            let harbor = HarborAPI(identity: identity.service, listings: listings, audit: audit, registry: registry,
                      settings: HarborSettings(externalURL: BerthConfiguration.environment("BERTH_EXTERNAL_URL") ?? "",
                                               authMode: configuration.oidc.isEnabled ? "oidc_auth" : "db_auth"),
                      credentialsChanged: { cache.removeAll() },
                      authenticate: { try await authenticator.principal(for: $0) })
                .showingCLISecrets(identity.cliSecrets)
                .controllingReadOnly(readOnly)
                .controllingAuthentication(identity.authSettings)
                .controllingTimeouts(identity.sessions.timeouts)
                .scanning(scanning?.service)
            harbor.register(on: &router)
            if let scanning { ScanRoutes(api: harbor, scans: scanning.service).register(on: &router) }
            if let jobs { await VulnDBService.wire(jobs: jobs, configuration: configuration, metadata: metadata, api: harbor, router: &router) }
            if let scanning, let jobs {
                ScanAllRoutes(api: harbor, scanAll: ScanAllService(scanning: scanning, jobs: jobs, identity: identity.store,
                                                                   listings: listings)).register(on: &router)
            }
        } else {
            Log.warning("the Harbor API (/api/v2.0) is not served: this metadata store has no listing/audit support")
        }
        let metrics = MetricsCatalog()
        self.metrics = metrics
        OperationsWiring.register(on: &router, metrics: metrics, registry: registry, jobs: jobs?.store)
        PortalRoutes().register(on: &router)
        let handler = router.handler(middleware: [ReadOnlyMiddleware(mode: readOnly)])
        var serverConfiguration = try Self.serverConfiguration(configuration)
        serverConfiguration.metrics = metrics
        server = HTTPServer(configuration: serverConfiguration, handler: handler)
        httpsServer = try OperationsWiring.httpsServer(configuration, base: serverConfiguration, handler: handler)
    }

    /// The audit log on the metadata database, when it stores audit entries and listings.
    static func auditLog(metadata: any MetadataStore, identity: IdentityComponents) -> HarborAuditLog? {
        guard let auditStore = metadata as? any AuditStore, let listings = metadata as? any ListingStore else {
            return nil
        }
        let authenticator = identity.apiAuthenticator
        let days = Int(BerthConfiguration.environment("BERTH_AUDIT_RETENTION_DAYS") ?? "") ?? 90
        return HarborAuditLog(audit: auditStore, listings: listings, retentionDays: days) { request in
            (try? await authenticator.principal(for: request).name) ?? "anonymous"
        }
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
        if let httpsServer {
            try httpsServer.start()
            OperationsWiring.reloadOnHangup(httpsServer)
        }
        let (host, _) = try configuration.listenAddress()
        if let httpsServer {
            let (tlsHost, _) = try BerthConfiguration.address(configuration.tls.listen)
            Console.out("Berth listening on https://\(tlsHost):\(httpsServer.boundPort)")
        }
        // Printed last: scripts wait for this line, and by then every listener is up.
        Console.out("Berth listening on http://\(host):\(server.boundPort)")
        let reachable = "\(host == "0.0.0.0" ? "127.0.0.1" : host):\(server.boundPort)"
        Console.out("Access control is on. Log in with: docker login \(reachable) -u admin "
            + "(anonymous clients may only pull from public projects such as library)")
        // With a job queue the stale-upload purge is a scheduled job (one node per firing).
        await jobs?.start(uploadPurgeIntervalSeconds: configuration.uploadPurgeIntervalSeconds)
        let purge = Task { [registry, configuration, jobs] in
            guard jobs == nil else { return }
            await UploadPurger(registry: registry, intervalSeconds: configuration.uploadPurgeIntervalSeconds).run()
        }
        let auditTask = Task { [audit] in await audit?.run() }
        let collector = MetricsCollector(metrics: metrics, identity: identity.store,
                                         listings: registryMetadata as? any ListingStore, jobs: jobs?.store,
                                         metadata: registryMetadata)
        let metricsTask = Task { await collector.run() }
        let signal = await ShutdownSignal.wait()
        Log.info("received \(signal), shutting down (grace \(configuration.shutdownGraceSeconds)s)")
        purge.cancel()
        async let httpsStopped: Void = httpsServer?.shutdown(gracePeriodSeconds: configuration.shutdownGraceSeconds) ?? ()
        await server.shutdown(gracePeriodSeconds: configuration.shutdownGraceSeconds)
        await httpsStopped
        await jobs?.shutdown(graceSeconds: configuration.shutdownGraceSeconds)
        auditTask.cancel()
        metricsTask.cancel()
        await audit?.flush()
        Log.info("stopped")
    }
}
