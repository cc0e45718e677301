/// One condition of a list filter, as Harbor's `q=` syntax expresses it.
public enum ListingCondition: Sendable, Equatable {
    /// `k=v`: equal.
    case equals(String)
    /// `k=~v`: contains (case-insensitive for ASCII).
    case fuzzy(String)
    /// `k=[a~b]`: between, inclusive; either bound may be missing.
    case range(String?, String?)
    /// `k={a b c}`: equal to any of the values.
    case anyOf([String])
}

/// A filter term: a key (checked against the resource's whitelist) and its condition.
public struct ListingTerm: Sendable, Equatable {
    public var key: String
    public var condition: ListingCondition

    public init(key: String, condition: ListingCondition) {
        self.key = key
        self.condition = condition
    }
}

/// One sort key; `descending` for a leading `-`.
public struct ListingSort: Sendable, Equatable {
    public var key: String
    public var descending: Bool

    public init(key: String, descending: Bool = false) {
        self.key = key
        self.descending = descending
    }
}

/// What a list request asks for: filter terms (all must hold), sort keys, and the page window.
public struct ListingQuery: Sendable, Equatable {
    public var terms: [ListingTerm]
    public var sort: [ListingSort]
    /// Rows to skip.
    public var offset: Int
    /// Rows to return at most.
    public var limit: Int

    public init(terms: [ListingTerm] = [], sort: [ListingSort] = [], offset: Int = 0, limit: Int = 10) {
        self.terms = terms
        self.sort = sort
        self.offset = offset
        self.limit = limit
    }
}

/// One page of a list and the number of rows matching the filter.
public struct ListingPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int

    public init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
}

/// A list request that cannot be answered as asked (the API answers 400).
public enum ListingError: Error, Sendable, Equatable {
    /// The key may not be filtered or sorted on for this resource.
    case unknownKey(String)
    /// The value does not fit the key (for example not a number or not a time).
    case invalidValue(key: String, value: String)
}
