/// A Docker registry token scope: `repository:<name>:pull,push`, `registry:catalog:*`.
public struct TokenScope: Sendable, Equatable, Codable {
    public var type: String
    public var name: String
    public var actions: [String]

    public init(type: String, name: String, actions: [String]) {
        self.type = type
        self.name = name
        self.actions = actions
    }

    /// Parses one scope; the name may itself contain `:` (a registry host with a port), so the type is
    /// the first field and the actions the last.
    public init?(_ text: String) {
        guard let first = text.firstIndex(of: ":"), let last = text.lastIndex(of: ":"), first < last else { return nil }
        type = String(text[..<first])
        name = String(text[text.index(after: first)..<last])
        actions = text[text.index(after: last)...].split(separator: ",").map(String.init)
        guard !type.isEmpty, !name.isEmpty else { return nil }
    }

    /// Parses every `scope` value (each may hold several scopes separated by spaces).
    public static func parseAll(_ values: [String]) -> [TokenScope] {
        values.flatMap { $0.split(separator: " ") }.compactMap { TokenScope(String($0)) }
    }

    public var description: String { "\(type):\(name):\(actions.joined(separator: ","))" }
}
