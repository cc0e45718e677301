/// The allowed values of one cron field, as a bit set (bit n set means value n is allowed; n < 64).
struct CronField: Sendable, Equatable {
    var bits: UInt64

    /// Whether the field text started with `*` or `?` (it does not restrict the day in the sense of
    /// cron's rule that a restricted day-of-month and day-of-week match when either does).
    var isWildcard: Bool

    func contains(_ value: Int) -> Bool { value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0 }

    /// The smallest allowed value at or above `value`.
    func first(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let masked = bits & ~((1 << UInt64(max(0, value))) &- 1)
        return masked == 0 ? nil : masked.trailingZeroBitCount
    }

    /// The largest allowed value at or below `value`.
    func last(atOrBefore value: Int) -> Int? {
        guard value >= 0 else { return nil }
        let masked = value >= 63 ? bits : bits & ((1 << UInt64(value + 1)) &- 1)
        return masked == 0 ? nil : 63 - masked.leadingZeroBitCount
    }
}
