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

    /// Answers when no pattern matches the path (404 by default).
    public var notFound: HTTPHandler = { _ in HTTPResponse(status: 404) }
    /// Answers when a pattern matches but not for this method (405 by default).
    public var methodNotAllowed: HTTPHandler = { _ in HTTPResponse(status: 405) }

    /// Creates an empty router.
    public init() {}

    /// Adds a route.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        routes.append(Route(method: method, pattern: RoutePattern(pattern), handler: handler))
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

    /// Picks the handler for a request and stores its path parameters.
    private func resolve(_ request: inout HTTPRequest) -> HTTPHandler {
        let segments = RoutePattern.segments(of: request.path)
        var best: (route: Route, parameters: [String: String])?
        var fallback: (route: Route, parameters: [String: String])?
        var pathMatched = false
        for route in routes {
            guard let parameters = route.pattern.match(segments) else { continue }
            pathMatched = true
            if route.method == request.method {
                if best == nil || route.pattern.literalCount > best!.route.pattern.literalCount {
                    best = (route, parameters)
                }
            } else if request.method == .head && route.method == .get {
                if fallback == nil || route.pattern.literalCount > fallback!.route.pattern.literalCount {
                    fallback = (route, parameters)
                }
            }
        }
        guard let chosen = best ?? fallback else { return pathMatched ? methodNotAllowed : notFound }
        request.parameters = chosen.parameters
        request.routePattern = chosen.route.pattern.text
        return chosen.route.handler
    }
}
