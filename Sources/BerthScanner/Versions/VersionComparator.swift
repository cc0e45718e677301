/// The result of comparing two versions, like `Foundation.ComparisonResult` but without Foundation.
public enum VersionOrder: Int, Sendable, Hashable {
    case less = -1
    case equal = 0
    case greater = 1

    /// Builds an order from the sign of an integer.
    @inlinable
    public init(sign value: Int) {
        self = value < 0 ? .less : (value > 0 ? .greater : .equal)
    }

    /// The order with both sides swapped.
    public var reversed: VersionOrder {
        switch self {
        case .less: return .greater
        case .equal: return .equal
        case .greater: return .less
        }
    }
}

/// Orders version strings exactly as one packaging ecosystem does.
///
/// Comparators are lenient: `compare` gives a total order even for strings that `isValid` rejects,
/// following what the ecosystem's own tools do with such strings where they do something.
public protocol VersionComparator: Sendable {
    /// Compares two version strings of this ecosystem.
    func compare(_ lhs: String, _ rhs: String) -> VersionOrder
    /// Whether the string is a well-formed version of this ecosystem.
    func isValid(_ version: String) -> Bool
}

extension VersionComparator {
    /// `lhs < rhs` in this ecosystem's order.
    public func less(_ lhs: String, _ rhs: String) -> Bool { compare(lhs, rhs) == .less }
    /// `lhs <= rhs` in this ecosystem's order.
    public func lessOrEqual(_ lhs: String, _ rhs: String) -> Bool { compare(lhs, rhs) != .greater }
}
