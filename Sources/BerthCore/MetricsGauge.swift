/// A value that goes up and down (one labelled child of a gauge family). Lock-free.
public final class MetricsGauge: Sendable {
    private let storage = MetricsValue()

    init() {}

    /// Replaces the value.
    public func set(_ value: Double) { storage.set(value) }

    /// Replaces the value with an integer (sizes, counts).
    public func set(_ value: Int64) { storage.set(Double(value)) }

    /// Adds `delta` (may be negative).
    public func add(_ delta: Double) { storage.add(delta) }

    /// The current value.
    public var value: Double { storage.value }
}
