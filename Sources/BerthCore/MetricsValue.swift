import Synchronization

/// A `Double` held in an atomic (as its bit pattern) so hot paths update it without locks.
final class MetricsValue: Sendable {
    private let bits = Atomic<UInt64>(0.0.bitPattern)

    init() {}

    var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }

    func set(_ newValue: Double) { bits.store(newValue.bitPattern, ordering: .relaxed) }

    func add(_ delta: Double) {
        var current = bits.load(ordering: .relaxed)
        while true {
            let next = (Double(bitPattern: current) + delta).bitPattern
            let (exchanged, original) = bits.compareExchange(expected: current, desired: next, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}
