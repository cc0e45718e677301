import BerthCore
import Glibc

/// Settings of an `HTTPServer`. Timeouts are whole seconds.
public struct HTTPServerConfiguration: Sendable {
    /// The address to listen on (IPv4 or IPv6 literal).
    public var host: String = "0.0.0.0"
    /// The port; 0 picks a free one (see `HTTPServer.boundPort`).
    public var port: Int = 5000
    /// The number of event-loop threads, each with its own listener.
    public var eventLoops: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    /// The largest request head accepted (431 above).
    public var maxHeadBytes = 65536
    /// The most header fields accepted (431 above).
    public var maxHeaderCount = 100
    /// The longest request-target accepted (414 above).
    public var maxURILength = 8192
    /// How long an idle keep-alive connection stays open.
    public var idleTimeoutSeconds = 60
    /// How long a client may take to send a complete request head.
    public var headReadTimeoutSeconds = 30
    /// How long a body read (or a response write) may make no progress.
    public var bodyStallTimeoutSeconds = 60
    /// Buffered request-body bytes above which the server stops reading the socket.
    public var bodyHighWaterBytes = 1 << 20
    /// The most unread request-body bytes discarded to keep a connection open after a response.
    public var maxDrainBytes = 1 << 20
    /// When set, the listener speaks HTTPS (TLS 1.2 and 1.3) with this certificate and key. To serve
    /// HTTP and HTTPS at once, run two `HTTPServer`s with the same handler (one with `tls` set).
    public var tls: TLSConfiguration? = nil
    /// When set, every response is recorded (requests, latency, bytes) on these metrics, on the loop thread.
    public var metrics: MetricsCatalog? = nil
    /// Receives one entry per request, on an event-loop thread: keep it cheap.
    public var accessLog: (@Sendable (AccessLogEntry) -> Void)? = nil

    /// The defaults.
    public init() {}
}
