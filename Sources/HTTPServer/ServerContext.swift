import Synchronization

/// What the server's loops and handler tasks share.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let handler: HTTPHandler
    /// The TLS context when the server speaks HTTPS.
    let tls: TLSContext?
    private let shuttingDown = Atomic<Bool>(false)

    init(configuration: HTTPServerConfiguration, handler: @escaping HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
        tls = configuration.tls.map { TLSContext(configuration: $0) }
    }

    /// Whether a graceful shutdown has begun.
    var isShuttingDown: Bool { shuttingDown.load(ordering: .acquiring) }

    func beginShutdown() { shuttingDown.store(true, ordering: .releasing) }
}
