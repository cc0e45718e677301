/// A key a list may be filtered or sorted by, and the SQL it stands for. Only keys in a resource's
/// whitelist reach SQL, and values are always bound parameters, never spliced into the text.
public struct ListingColumn: Sendable {
    /// How values given for the key are read.
    public enum Kind: Sendable {
        case text
        case integer
        /// Seconds since the epoch in the database; accepted as epoch seconds or `YYYY-MM-DD[ T]HH:MM:SS`.
        case time
    }

    public let key: String
    /// The column expression compared against values, e.g. `m.digest`.
    let expression: String
    let kind: Kind
    /// When set, the predicate is wrapped: `{}` is replaced by it (e.g. an `EXISTS` over tags).
    let wrapper: String?
    let sortable: Bool

    init(_ key: String, _ expression: String, _ kind: Kind = .text, wrapper: String? = nil, sortable: Bool = true) {
        self.key = key
        self.expression = expression
        self.kind = kind
        self.wrapper = wrapper
        self.sortable = sortable && wrapper == nil
    }
}
