import BerthCore
internal import CLinuxShim
import Glibc
import Synchronization

/// One epoll event loop on its own thread, with its own `SO_REUSEPORT` listener and connections.
final class EventLoop: @unchecked Sendable {
    // @unchecked Sendable: `inbox`, `connectionCount` and `finished` are synchronized (Mutex /
    // Atomic) and, with the immutable `let`s, are the only members touched from other threads.
    // Every other `var` is confined to the loop thread started by `start()`.

    let context: ServerContext
    let configuration: HTTPServerConfiguration
    let epollFD: Int32
    let wakeFD: Int32
    var listenFD: Int32

    /// Commands from other threads; `wakePending` avoids redundant eventfd writes, `closed` refuses
    /// commands once the loop has exited. The eventfd is signalled after the lock is released (a write
    /// under the lock made submitters queue behind a syscall); it is closed only in `deinit`, so a
    /// submitter, which holds a reference, never signals a closed or reused descriptor.
    private let inbox = Mutex<(queue: [LoopCommand], wakePending: Bool, closed: Bool)>(([], false, false))
    /// Open connections (read by the server during shutdown).
    let connectionCount = Atomic<Int>(0)
    /// Set when the loop thread has exited.
    let finished = Atomic<Bool>(false)

    var connections: [Connection?] = []
    let readBuffer: UnsafeMutableRawBufferPointer
    var now: Double
    var shuttingDown = false
    var stopping = false
    private var spare: [LoopCommand] = []
    private var addressBuffer = [CChar](repeating: 0, count: 64)

    static let listenerToken = UInt64.max, wakeToken = UInt64.max - 1
    static let readBufferSize = 65536

    init(context: ServerContext, listenFD: Int32) throws {
        self.context = context
        configuration = context.configuration
        self.listenFD = listenFD
        let ep = berth_epoll_create(), wake = berth_eventfd()
        guard ep >= 0, wake >= 0 else {
            if ep >= 0 { berth_close(ep) }
            if wake >= 0 { berth_close(wake) }
            throw HTTPServerError.bind("epoll/eventfd: \(min(ep, wake))")
        }
        epollFD = ep
        wakeFD = wake
        _ = berth_epoll_ctl(ep, Int32(BERTH_CTL_ADD), listenFD, UInt32(BERTH_EV_IN), Self.listenerToken)
        _ = berth_epoll_ctl(ep, Int32(BERTH_CTL_ADD), wake, UInt32(BERTH_EV_IN), Self.wakeToken)
        readBuffer = .allocate(byteCount: Self.readBufferSize, alignment: 16)
        now = berth_monotonic_seconds()
    }

    deinit {
        berth_close(wakeFD)
    }

    /// Queues a command for the loop thread and wakes it; after the loop has exited, releases what
    /// the command holds instead.
    func submit(_ command: LoopCommand) {
        let (accepted, signal) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.closed else { return (false, false) }
            inbox.queue.append(command)
            if inbox.wakePending { return (true, false) }
            inbox.wakePending = true
            return (true, true)
        }
        if signal { berth_eventfd_signal(wakeFD) }
        if !accepted { Self.discard(command) }
    }

    /// Releases a command's descriptor or waiter without performing it.
    private static func discard(_ command: LoopCommand) {
        switch command {
        case let .respond(_, _, file, _, _, _, _): file?.close()
        case let .write(_, _, done): done?.resume(throwing: HTTPServerError.connectionClosed)
        default: break
        }
    }

    /// Starts the loop thread.
    func start() {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            let loop = Unmanaged<EventLoop>.fromOpaque(raw!).takeRetainedValue()
            loop.run()
            return nil
        }, box)
        if rc == 0 { pthread_detach(thread) } else { Unmanaged<EventLoop>.fromOpaque(box).release() }
    }

    private var sweepInterval: Double {
        let c = configuration
        let shortest = Double(min(c.idleTimeoutSeconds, c.headReadTimeoutSeconds, c.bodyStallTimeoutSeconds))
        return min(1.0, max(0.05, shortest / 4))
    }

    private func run() {
        let events = UnsafeMutablePointer<berth_event>.allocate(capacity: 256)
        defer { events.deallocate() }
        let interval = sweepInterval
        var nextSweep = now + interval
        while !stopping {
            let timeout = Int32(max(0, min(1000, (nextSweep - now) * 1000 + 1)))
            let count = berth_epoll_wait(epollFD, events, 256, timeout)
            now = berth_monotonic_seconds()
            var acceptPending = false
            for i in 0..<Int(max(0, count)) {
                let event = events[i]
                switch event.data {
                case Self.listenerToken: acceptPending = true
                case Self.wakeToken: processCommands()
                default: handle(event: event.events, fd: Int(event.data))
                }
            }
            // Accept after the batch, so a reused descriptor number never receives a closed one's events.
            if acceptPending { acceptConnections() }
            if now >= nextSweep {
                sweep()
                nextSweep = now + interval
            }
        }
        for case let connection? in connections { close(connection) }
        let leftovers = inbox.withLock { inbox -> [LoopCommand] in
            inbox.closed = true
            defer { inbox.queue = [] }
            return inbox.queue
        }
        for command in leftovers { Self.discard(command) }
        if listenFD >= 0 { berth_close(listenFD) }
        berth_close(epollFD)
        readBuffer.deallocate()
        finished.store(true, ordering: .releasing)
    }

    private func acceptConnections() {
        guard !shuttingDown, listenFD >= 0 else { return }
        for _ in 0..<64 {
            let fd = addressBuffer.withUnsafeMutableBufferPointer { berth_accept(listenFD, $0.baseAddress, 64) }
            guard fd >= 0 else { return }
            let address = addressBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let parser = RequestHeadParser(maxHeadBytes: configuration.maxHeadBytes,
                                           maxHeaderCount: configuration.maxHeaderCount,
                                           maxURILength: configuration.maxURILength)
            let connection = Connection(fd: fd, remoteAddress: address, loop: self, parser: parser, now: now)
            if let tls = context.tls {
                guard let session = tls.makeSession(fd: fd) else {
                    berth_close(fd)
                    continue
                }
                connection.tls = session
            }
            connection.interest = UInt32(BERTH_EV_IN)
            guard berth_epoll_ctl(epollFD, Int32(BERTH_CTL_ADD), fd, connection.interest, UInt64(fd)) == 0 else {
                berth_close(fd)
                continue
            }
            while connections.count <= Int(fd) { connections.append(nil) }
            connections[Int(fd)] = connection
            connectionCount.add(1, ordering: .relaxed)
        }
    }

    private func handle(event: UInt32, fd: Int) {
        guard fd < connections.count, let connection = connections[fd] else { return }
        if event & UInt32(BERTH_EV_ERR) != 0 { close(connection); return }
        if event & UInt32(BERTH_EV_HUP) != 0 && !wantsRead(connection) { close(connection); return }
        if connection.tls != nil { return handleTLS(event: event, connection: connection) }
        if event & UInt32(BERTH_EV_OUT) != 0 { flush(connection) }
        if connection.isOpen && event & UInt32(BERTH_EV_IN | BERTH_EV_HUP) != 0 { readAvailable(connection) }
    }

    private func processCommands() {
        berth_eventfd_drain(wakeFD)
        var batch = spare
        inbox.withLock { inbox in
            swap(&inbox.queue, &batch)
            inbox.wakePending = false
        }
        for command in batch { perform(command) }
        batch.removeAll(keepingCapacity: true)
        spare = batch
    }

    /// Closes a connection and releases everything it holds.
    func close(_ connection: Connection) {
        guard connection.isOpen else { return }
        connection.isOpen = false
        if let tls = connection.tls {
            tls.shutdown()
            connection.tls = nil
            connection.tlsStaging = []
        }
        berth_close(connection.fd)
        if Int(connection.fd) < connections.count, connections[Int(connection.fd)] === connection {
            connections[Int(connection.fd)] = nil
        }
        connectionCount.subtract(1, ordering: .relaxed)
        connection.channel?.fail(.connectionClosed)
        connection.channel = nil
        for index in connection.outboundHead..<connection.outbound.count {
            switch connection.outbound[index] {
            case .bytes(_, _, let done): done?.resume(throwing: HTTPServerError.connectionClosed)
            case .file(let fd, _, _): berth_close(fd)
            case .end, .consumed: break
            }
        }
        connection.outbound = []
        connection.outboundHead = 0
        connection.inbound = []
    }

    /// Registers interest in exactly the events the connection needs now.
    func updateInterest(_ connection: Connection) {
        guard connection.isOpen else { return }
        var wanted: UInt32 = 0
        if wantsRead(connection) || connection.tlsWriteWantsRead { wanted |= UInt32(BERTH_EV_IN) }
        if connection.hasPendingOutput || connection.tlsReadWantsWrite { wanted |= UInt32(BERTH_EV_OUT) }
        if wanted != connection.interest {
            connection.interest = wanted
            _ = berth_epoll_ctl(epollFD, Int32(BERTH_CTL_MOD), connection.fd, wanted, UInt64(connection.fd))
        }
    }
}
