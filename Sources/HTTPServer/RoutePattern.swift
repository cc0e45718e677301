/// A compiled route pattern such as `/v2/{name+}/manifests/{reference}`.
struct RoutePattern: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case rest(String)
    }

    let prefix: [Segment]
    /// The `{x+}` parameter name, if any.
    let restName: String?
    /// Segments after the rest parameter (matched from the right).
    let suffix: [Segment]
    /// The number of literal segments (more wins).
    let literalCount: Int
    /// The pattern as written.
    let text: String

    init(_ pattern: String) {
        text = pattern
        var prefix: [Segment] = [], suffix: [Segment] = []
        var restName: String?
        var literals = 0
        for raw in Self.segments(of: pattern) {
            let segment: Segment
            if raw.hasPrefix("{") && raw.hasSuffix("+}") {
                precondition(restName == nil, "at most one {x+} per route pattern: \(pattern)")
                restName = String(raw.dropFirst().dropLast(2))
                continue
            } else if raw.hasPrefix("{") && raw.hasSuffix("}") {
                segment = .parameter(String(raw.dropFirst().dropLast()))
            } else {
                segment = .literal(raw)
                literals += 1
            }
            if restName == nil { prefix.append(segment) } else { suffix.append(segment) }
        }
        self.prefix = prefix
        self.restName = restName
        self.suffix = suffix
        literalCount = literals
    }

    /// Splits a path after its leading `/`, keeping empty segments (so `/v2/` is `["v2", ""]`).
    static func segments(of path: String) -> [String] {
        var body = Substring(path)
        if body.first == "/" { body = body.dropFirst() }
        return body.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    }

    /// Matches raw path segments; returns the percent-decoded parameters.
    func match(_ segments: [String]) -> [String: String]? {
        var parameters: [String: String] = [:]
        guard let restName else {
            guard segments.count == prefix.count else { return nil }
            for (segment, value) in zip(prefix, segments) where !bind(segment, value, into: &parameters) {
                return nil
            }
            return parameters
        }
        guard segments.count >= prefix.count + suffix.count + 1 else { return nil }
        for (segment, value) in zip(prefix, segments) where !bind(segment, value, into: &parameters) { return nil }
        let tailStart = segments.count - suffix.count
        for (segment, value) in zip(suffix, segments[tailStart...]) where !bind(segment, value, into: &parameters) {
            return nil
        }
        let rest = segments[prefix.count..<tailStart]
        guard rest.allSatisfy({ !$0.isEmpty }) else { return nil }
        parameters[restName] = PercentCoding.decode(rest.joined(separator: "/"))
        return parameters
    }

    private func bind(_ segment: Segment, _ value: String, into parameters: inout [String: String]) -> Bool {
        switch segment {
        case .literal(let literal): return literal == value
        case .parameter(let name):
            guard !value.isEmpty else { return false }
            parameters[name] = PercentCoding.decode(value)
            return true
        case .rest: return false
        }
    }
}
