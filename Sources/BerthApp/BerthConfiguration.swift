import BerthCore

/// All of Berth's settings. Sources, lowest precedence first: defaults, the JSON file given with
/// `--config`, environment variables (`BERTH_…`), command-line flags. Validated once at start.
public struct BerthConfiguration: Codable, Sendable, Equatable {
    /// `HOST:PORT` to listen on.
    public var listen = "0.0.0.0:5000"
    /// Directory for blobs, uploads and the SQLite database.
    public var dataDirectory = "./data"
    /// Metadata database: `sqlite:PATH` (default: `<dataDirectory>/berth.db`) or
    /// `postgres://user:pass@host:port/db`.
    public var database: String?
    /// Blob storage: `file:PATH` (default: `<dataDirectory>`) or
    /// `s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1`.
    public var storage: String?
    /// Upload sessions untouched for this long are purged.
    public var uploadPurgeAgeSeconds: Int64 = 86_400
    /// How often the purge runs.
    public var uploadPurgeIntervalSeconds: Int64 = 3_600
    /// Largest accepted manifest.
    public var maxManifestBytes = 4 << 20
    /// How long SIGTERM waits for requests in flight.
    public var shutdownGraceSeconds = 30.0
    public var http = HTTPSettings()
    public var log = LogSettings()
    /// OpenID Connect single sign-on (JSON `oidc`, environment `BERTH_OIDC_…`); off while the endpoint is empty.
    public var oidc = OIDCSettings()
    /// Built-in HTTPS beside the HTTP listener (JSON `tls`, environment `BERTH_TLS_…`); off while `tls.listen` is empty.
    public var tls = TLSSettings()
    /// Refuse every write with Harbor's read-only error (`BERTH_READ_ONLY`).
    public var readOnly = false
    /// S3 credentials when they are not in the environment (JSON `s3`).
    public var s3 = S3Settings()
    /// Vulnerability database updates: source URL and schedule (JSON `vulndb`, environment `BERTH_VULNDB_…`).
    public var vulndb = VulnDBSettings()

    /// HTTP server limits and timeouts.
    public struct HTTPSettings: Codable, Sendable, Equatable {
        /// Event-loop threads; 0 means one per core.
        public var eventLoops = 0
        public var maxHeadBytes = 65_536
        public var maxHeaderCount = 100
        public var maxURILength = 8_192
        public var idleTimeoutSeconds = 60
        public var headReadTimeoutSeconds = 30
        public var bodyStallTimeoutSeconds = 60
        public var accessLog = true
        public init() {}
    }

    /// Logging: `debug`, `info`, `warning` or `error`, as text or JSON lines.
    public struct LogSettings: Codable, Sendable, Equatable {
        public var level = "info"
        public var json = false
        public init() {}
    }

    public init() {}

    /// The listen address split into host and port.
    public func listenAddress() throws(ConfigurationError) -> (host: String, port: Int) {
        try Self.address(listen)
    }

    /// Splits `HOST:PORT` (or `[IPv6]:PORT`).
    public static func address(_ listen: String) throws(ConfigurationError) -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
              (0...65_535).contains(port) else {
            throw ConfigurationError("listen must be HOST:PORT, got \"\(listen)\"")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// The log level as a value.
    public func logLevel() throws(ConfigurationError) -> Log.Level {
        switch log.level {
        case "debug": return .debug
        case "info": return .info
        case "warning", "warn": return .warning
        case "error": return .error
        default: throw ConfigurationError("log.level must be debug, info, warning or error")
        }
    }

    /// Checks every value once, at start.
    public func validate() throws(ConfigurationError) {
        _ = try listenAddress()
        _ = try logLevel()
        guard !dataDirectory.isEmpty else { throw ConfigurationError("dataDirectory must not be empty") }
        _ = try databaseLocation()
        _ = try storageLocation()
        guard maxManifestBytes > 0, maxManifestBytes <= 64 << 20 else {
            throw ConfigurationError("maxManifestBytes must be between 1 and 64 MiB")
        }
        guard uploadPurgeAgeSeconds > 0, uploadPurgeIntervalSeconds > 0 else {
            throw ConfigurationError("upload purge age and interval must be positive")
        }
        guard http.maxHeadBytes >= 1_024, http.maxHeaderCount >= 8, http.maxURILength >= 256 else {
            throw ConfigurationError("http limits are too small")
        }
        try oidc.validate()
        try tls.validate()
        try s3.validate()
        try vulndb.validate()
    }
}

/// A configuration problem, reported before anything starts.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
