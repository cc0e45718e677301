import BerthAPI
import BerthCore
import BerthMetadata
import BerthRegistry
import BerthStorage
import Dispatch
import Glibc
import HTTPServer
import Synchronization

/// Metrics, health, read-only mode, the HTTPS listener and SIGHUP certificate reloads.
enum OperationsWiring {
    /// Adds `/metrics`, `/api/v2.0/health` and `/api/v2.0/ping`, with health checks of the metadata store
    /// (a catalog read) and the blob store (a size lookup).
    static func register(on router: inout HTTPRouter, metrics: MetricsCatalog, registry: Registry,
                         jobs: (any JobStore)? = nil) {
        let probe = Digest.parse("sha256:" + String(repeating: "0", count: 64))!
        var checks: [OperationsRoutes.HealthCheck] = [
            .init(name: "database") { _ = try await registry.catalog(limit: 1, after: nil) },
            .init(name: "storage") { _ = try await registry.storageProbe(probe) },
        ]
        if let jobs {
            // Harbor calls its job service component "jobservice": the queue must answer.
            checks.append(.init(name: "jobservice") { _ = try await jobs.counts(type: nil) })
        }
        OperationsRoutes(metrics: metrics, checks: checks).register(on: &router)
    }

    /// A second server with the same handler on the HTTPS address, when TLS is configured.
    static func httpsServer(_ configuration: BerthConfiguration, base: HTTPServerConfiguration,
                            handler: @escaping HTTPHandler) throws -> HTTPServer? {
        guard let tls = try configuration.tls.resolve(dataDirectory: configuration.dataDirectory) else { return nil }
        let (host, port) = try BerthConfiguration.address(configuration.tls.listen)
        var https = base
        https.host = host
        https.port = port
        https.tls = tls
        return HTTPServer(configuration: https, handler: handler)
    }

    /// Re-reads the HTTPS certificate on every SIGHUP; a broken new pair keeps the old one.
    static func reloadOnHangup(_ server: HTTPServer) {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "berth.sighup"))
        source.setEventHandler {
            do {
                try server.reloadCertificates()
                Log.info("TLS certificate reloaded")
            } catch {
                Log.error("TLS certificate reload failed, keeping the previous one: \(error)")
            }
        }
        source.resume()
        HangupSourceKeeper.keep(source)
    }
}

/// Keeps the SIGHUP source alive for the life of the process.
enum HangupSourceKeeper {
    // Written under the lock and never read: it only keeps the source alive.
    private nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []
    private static let lock = Mutex(())
    static func keep(_ source: any DispatchSourceSignal) { lock.withLock { _ in sources.append(source) } }
}
