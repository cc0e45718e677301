import BerthCore
internal import CLinuxShim
import Synchronization

/// An HTTP/1.1 server: one epoll event loop per thread, each with its own `SO_REUSEPORT` listener.
/// Every request runs its handler in a new task. Call `shutdown(gracePeriodSeconds:)` to stop the
/// loop threads; they keep the server running otherwise.
public final class HTTPServer: Sendable {
    private let context: ServerContext
    private let state = Mutex<(loops: [EventLoop], port: Int)>(([], 0))

    /// Creates a server; nothing is bound until `start()`.
    public init(configuration: HTTPServerConfiguration, handler: @escaping HTTPHandler) {
        context = ServerContext(configuration: configuration, handler: handler)
    }

    /// Binds the listeners (throws `HTTPServerError.bind` on failure) and starts the loop threads.
    public func start() throws {
        guard state.withLock({ $0.loops.isEmpty }) else { throw HTTPServerError.bind("server already started") }
        berth_ignore_sigpipe()
        try context.tls?.reload()
        let configuration = context.configuration
        var port = configuration.port
        if port != 0 {
            let probe = berth_probe_port(configuration.host, Int32(port))
            guard probe == 0 else { throw HTTPServerError.bind("\(configuration.host):\(port): errno \(-probe)") }
        }
        var loops: [EventLoop] = []
        for _ in 0..<max(1, configuration.eventLoops) {
            var bound: Int32 = 0
            let fd = berth_listen_tcp(configuration.host, Int32(port), 1024, &bound)
            guard fd >= 0 else {
                for loop in loops { loop.submit(.stop); loop.start() }
                throw HTTPServerError.bind("\(configuration.host):\(port): errno \(-fd)")
            }
            port = Int(bound)
            do {
                loops.append(try EventLoop(context: context, listenFD: fd))
            } catch {
                berth_close(fd)
                for loop in loops { loop.submit(.stop); loop.start() }
                throw error
            }
        }
        state.withLock { $0 = (loops, port) }
        for loop in loops { loop.start() }
    }

    /// Re-reads the TLS certificate chain and key (call it on SIGHUP). New connections use the new
    /// certificate; open ones keep theirs. If the new files do not load, the old certificate stays in use
    /// and `HTTPServerError.tls` is thrown. Does nothing for a plain HTTP server.
    public func reloadCertificates() throws {
        try context.tls?.reload()
    }

    /// Whether this server speaks HTTPS.
    public var isTLS: Bool { context.tls != nil }

    /// The port actually bound (useful when the configuration asked for port 0).
    public var boundPort: Int { state.withLock { $0.port } }

    /// Stops accepting, lets in-flight requests finish for up to `gracePeriodSeconds`, then closes everything.
    public func shutdown(gracePeriodSeconds: Double) async {
        context.beginShutdown()
        let loops = state.withLock { $0.loops }
        for loop in loops { loop.submit(.beginShutdown) }
        let deadline = berth_monotonic_seconds() + gracePeriodSeconds
        while berth_monotonic_seconds() < deadline,
              loops.contains(where: { $0.connectionCount.load(ordering: .relaxed) > 0 }) {
            try? await Task.sleep(for: .milliseconds(5))
        }
        for loop in loops { loop.submit(.stop) }
        while loops.contains(where: { !$0.finished.load(ordering: .acquiring) }) {
            try? await Task.sleep(for: .milliseconds(2))
        }
        state.withLock { $0.loops = [] }
    }
}
