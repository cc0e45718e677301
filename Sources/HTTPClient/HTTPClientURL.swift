/// The parts of an absolute `http://` or `https://` URL the client needs. Parsing is deliberately strict:
/// no user info, an optional numeric port, and a target (path and query) sent as given.
public struct HTTPClientURL: Sendable, Equatable {
    /// `http` or `https`.
    public var scheme: String
    /// Host name or IPv4 literal (IPv6 literals keep their brackets out: `::1`).
    public var host: String
    /// TCP port (default 80 or 443).
    public var port: Int
    /// Path plus optional `?query`, starting with `/`.
    public var target: String

    /// Creates a URL from parts.
    public init(scheme: String, host: String, port: Int? = nil, target: String = "/") {
        self.scheme = scheme
        self.host = host
        self.port = port ?? (scheme == "https" ? 443 : 80)
        self.target = target.isEmpty ? "/" : target
    }

    /// Parses `scheme://host[:port][/target]`; nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let scheme = parts[0].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = parts[1]
        let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<slash]
        var target = String(rest[slash...])
        if target.hasPrefix("?") { target = "/" + target }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var host = Substring(authority)
        var port: Int?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()); if port == nil { return nil } }
            else if !after.isEmpty { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let value = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = value
        }
        if let port, !(1...65535).contains(port) { return nil }
        guard !host.isEmpty else { return nil }
        self.init(scheme: scheme, host: String(host), port: port, target: target)
    }

    /// True for `https`.
    public var isTLS: Bool { scheme == "https" }

    /// The `Host` header value: the port is omitted when it is the scheme's default.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        let defaultPort = isTLS ? 443 : 80
        return port == defaultPort ? name : "\(name):\(port)"
    }

    /// Key of the connection pool: connections are shared per scheme, host and port.
    var poolKey: String { "\(scheme)://\(hostHeader)" }

    /// The whole URL as text.
    public var text: String { "\(scheme)://\(hostHeader)\(target)" }
}
