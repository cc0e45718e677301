/// Routes requests by method and path pattern. `{x}` matches one non-empty segment, `{x+}` one or more
/// (the literal prefix is matched from the left and the literal suffix from the right). When several
/// patterns match, the one with more literal segments wins. HEAD falls back to GET routes.
public struct HTTPRouter: Sendable {
    private struct Route: Sendable {
        let method: HTTPMethod
        let pattern: RoutePattern
        let handler: HTTPHandler
    }

    private var routes: [Route] = []
    /// Indices of the routes whose first segment is a literal, by that literal (ascending).
    private var byFirstSegment: [String: [Int]] = [:]
    /// Indices of the routes that start with a parameter (ascending).
    private var startingWithParameter: [Int] = []

    /// Answers when no pattern matches the path (404 by default).
    public var notFound: HTTPHandler = { _ in HTTPResponse(status: 404) }
    /// Answers when a pattern matches but not for this method (405 by default).
    public var methodNotAllowed: HTTPHandler = { _ in HTTPResponse(status: 405) }

    /// Creates an empty router.
    public init() {}

    /// Adds a route.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        let route = Route(method: method, pattern: RoutePattern(pattern), handler: handler)
        if case .literal(let first)? = route.pattern.prefix.first {
            byFirstSegment[first, default: []].append(routes.count)
        } else {
            startingWithParameter.append(routes.count)
        }
        routes.append(route)
    }

    /// A handler that routes, sets `request.parameters`, and runs `middleware` (first is outermost)
    /// around the chosen handler (including the fallbacks).
    public func handler(middleware: [any HTTPMiddleware] = []) -> HTTPHandler {
        let router = self
        return { request in
            var request = request
            let target = router.resolve(&request)
            var next: HTTPHandler = target
            for layer in middleware.reversed() {
                let inner = next
                next = { try await layer.respond(to: $0, next: inner) }
            }
            return try await next(request)
        }
    }

    /// Picks the handler for a request and stores its path parameters. Only routes whose first literal
    /// segment equals the path's (and those starting with a parameter) are tried, in the order they were
    /// added, so ties between equally literal patterns go to the first added as before.
    private func resolve(_ request: inout HTTPRequest) -> HTTPHandler {
        let segments = RoutePattern.segments(of: request.path)
        let literal = segments.first.flatMap { byFirstSegment[$0] } ?? []
        let wild = startingWithParameter
        var best: (index: Int, parameters: [String: String])?
        var fallback: (index: Int, parameters: [String: String])?
        var pathMatched = false
        var i = 0, j = 0
        while i < literal.count || j < wild.count {
            let index: Int
            if j == wild.count || (i < literal.count && literal[i] < wild[j]) {
                index = literal[i]; i += 1
            } else {
                index = wild[j]; j += 1
            }
            let pattern = routes[index].pattern
            guard let parameters = pattern.match(segments) else { continue }
            pathMatched = true
            let method = routes[index].method
            if method == request.method {
                if best == nil || pattern.literalCount > routes[best!.index].pattern.literalCount {
                    best = (index, parameters)
                }
            } else if request.method == .head && method == .get {
                if fallback == nil || pattern.literalCount > routes[fallback!.index].pattern.literalCount {
                    fallback = (index, parameters)
                }
            }
        }
        guard let chosen = best ?? fallback else { return pathMatched ? methodNotAllowed : notFound }
        request.parameters = chosen.parameters
        request.routePattern = routes[chosen.index].pattern.text
        return routes[chosen.index].handler
    }
}
