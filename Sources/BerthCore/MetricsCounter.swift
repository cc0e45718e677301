import Synchronization

/// A monotonically increasing count (one labelled child of a counter family). Lock-free.
public final class MetricsCounter: Sendable {
    private let whole = Atomic<UInt64>(0)
    private let fraction = MetricsValue()

    init() {}

    /// Adds one.
    public func increment() { whole.add(1, ordering: .relaxed) }

    /// Adds a whole amount (bytes, events).
    public func increment(by amount: Int64) {
        guard amount > 0 else { return }
        whole.add(UInt64(amount), ordering: .relaxed)
    }

    /// Adds a non-negative fractional amount (seconds).
    public func increment(by amount: Double) {
        guard amount > 0 else { return }
        fraction.add(amount)
    }

    /// The current total.
    public var value: Double { Double(whole.load(ordering: .relaxed)) + fraction.value }
}
