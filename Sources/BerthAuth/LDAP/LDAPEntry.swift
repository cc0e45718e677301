/// One entry a search returned: its DN and the requested attributes (names lowercased).
public struct LDAPEntry: Sendable, Equatable {
    public let dn: String
    public let attributes: [String: [String]]

    public init(dn: String, attributes: [String: [String]]) {
        self.dn = dn
        self.attributes = attributes
    }

    /// The first value of `name` (case-insensitive), if any.
    public func first(_ name: String) -> String? { attributes[name.lowercased()]?.first }

    /// Every value of `name` (case-insensitive).
    public func all(_ name: String) -> [String] { attributes[name.lowercased()] ?? [] }
}
