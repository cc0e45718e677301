/// A request as handed to handlers.
public struct HTTPRequest: Sendable {
    /// The method.
    public let method: HTTPMethod
    /// The raw request-target, e.g. `/v2/a/b/tags/list?n=10`.
    public let target: String
    /// The path part of the target, not percent-decoded.
    public let path: String
    /// Query parameters, percent-decoded, `+` left as `+`.
    public let query: [(name: String, value: String)]
    /// The header fields.
    public let headers: HTTPHeaders
    /// The body, read as an async sequence of chunks.
    public let body: HTTPRequestBody
    /// The peer, "ip:port".
    public let remoteAddress: String
    /// Path parameters set by the router (percent-decoded).
    public var parameters: [String: String] = [:]
    /// Values attached by middleware (for example the authenticated principal).
    public var attributes: [String: any Sendable] = [:]
    /// True when the request arrived over TLS.
    public var isSecure = false
    /// Whether the request arrived as HTTP/1.0.
    public let isHTTP10: Bool
    /// The router's matched pattern, e.g. `/v2/{name+}/manifests/{reference}` (nil before routing or when
    /// nothing matched). Also reported in the access log and metrics.
    public var routePattern: String? {
        get { routeRecorder?.pattern ?? storedRoute }
        set {
            storedRoute = newValue
            routeRecorder?.pattern = newValue
        }
    }
    private var storedRoute: String?
    /// Carries the matched route back to the server (set by the server for requests it reads).
    var routeRecorder: RouteRecorder?

    /// Creates a request; `path` and `query` are derived from `target`.
    public init(method: HTTPMethod, target: String, headers: HTTPHeaders = HTTPHeaders(),
                body: HTTPRequestBody = .empty, remoteAddress: String = "127.0.0.1:0") {
        self.init(method: method, target: target, headers: headers, body: body,
                  remoteAddress: remoteAddress, isHTTP10: false)
    }

    init(method: HTTPMethod, target: String, headers: HTTPHeaders, body: HTTPRequestBody,
         remoteAddress: String, isHTTP10: Bool, routeRecorder: RouteRecorder? = nil) {
        self.routeRecorder = routeRecorder
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.isHTTP10 = isHTTP10
        let (path, query) = Self.split(target: target)
        self.path = path
        self.query = query
    }

    /// The first value of the query parameter `name`.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// Splits a request-target into its path and decoded query (absolute-form targets are reduced to the path).
    static func split(target: String) -> (String, [(name: String, value: String)]) {
        var utf8 = Substring(target).utf8
        if utf8.first != UInt8(ascii: "/"), let colon = utf8.firstIndex(of: UInt8(ascii: ":")) {
            let rest = utf8[colon...]
            if rest.starts(with: "://".utf8) {
                let authority = rest.dropFirst(3)
                let end = authority.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }
                utf8 = authority[(end ?? authority.endIndex)...]
            }
        }
        guard let mark = utf8.firstIndex(of: UInt8(ascii: "?")) else {
            let path = String(Substring(utf8))
            return (path.isEmpty ? "/" : path, [])
        }
        let path = String(Substring(utf8[..<mark]))
        let queryText = utf8[utf8.index(after: mark)...]
        var items: [(name: String, value: String)] = []
        for part in queryText.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let eq = part.firstIndex(of: UInt8(ascii: "=")) {
                items.append((name: PercentCoding.decode(part[..<eq]),
                              value: PercentCoding.decode(part[part.index(after: eq)...])))
            } else {
                items.append((name: PercentCoding.decode(part), value: ""))
            }
        }
        return (path.isEmpty ? "/" : path, items)
    }
}
