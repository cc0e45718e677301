import BerthCore

/// One client connection. All mutable state belongs to the owning event loop's thread.
final class Connection: @unchecked Sendable {
    // @unchecked Sendable: every `var` below is read and written only on the owning loop's thread.
    // Handler tasks hold the reference only to hand it back to that loop through its locked
    // command queue (`EventLoop.submit`); they read nothing but the immutable `let` properties.

    /// How the body of the current request is framed.
    enum BodyFraming { case none, length(Int64), chunked(ChunkedDecoder) }

    /// A pending piece of output.
    enum OutboundItem {
        case bytes([UInt8], offset: Int, done: CheckedContinuation<Void, any Error>?)
        case file(fd: Int32, offset: Int64, remaining: Int64)
        case end
        case consumed
    }

    let fd: Int32
    let remoteAddress: String
    let loop: EventLoop
    /// Where the router reports the matched pattern; reused because a connection runs one request at a time.
    let routeRecorder = RouteRecorder()

    var isOpen = true
    var interest: UInt32 = 0

    // Input.
    var inbound: [UInt8] = []
    var inboundStart = 0
    var parser: RequestHeadParser
    var readEOF = false

    // The request in flight.
    var inFlight = false
    var framing = BodyFraming.none
    var channel: BodyChannel?
    var bodyDone = true
    var readPaused = false
    var expectContinue = false
    var continueSent = false
    var responseStarted = false
    var responseEnded = false
    var closeAfterResponse = false
    var drainedBytes = 0
    var method = ""
    var target = ""
    var status = 0
    var bytesSent: Int64 = 0
    var bytesReceived: Int64 = 0
    var route: String?

    // Output.
    var outbound: [OutboundItem] = []
    var outboundHead = 0
    var closeWhenFlushed = false

    // TLS (nil for plain HTTP).
    var tls: TLSSession?
    /// An `SSL_read` needs the socket writable before it can continue.
    var tlsReadWantsWrite = false
    /// An `SSL_write` needs the socket readable before it can continue.
    var tlsWriteWantsRead = false
    /// File bytes read with `pread` but not yet accepted by `SSL_write`.
    var tlsStaging: [UInt8] = []
    var tlsStagingOffset = 0
    var tlsStagingEnd = 0

    // Timers (monotonic seconds).
    var idleSince: Double
    var headStart: Double
    var requestStart: Double = 0
    var lastBodyProgress: Double = 0
    var lastWriteProgress: Double = 0

    init(fd: Int32, remoteAddress: String, loop: EventLoop, parser: RequestHeadParser, now: Double) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.loop = loop
        self.parser = parser
        idleSince = now
        headStart = now
    }

    /// Whether unparsed input is buffered.
    var hasBufferedInput: Bool { inboundStart < inbound.count }

    /// Whether output is waiting to be written.
    var hasPendingOutput: Bool { outboundHead < outbound.count }
}
