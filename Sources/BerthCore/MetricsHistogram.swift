import Synchronization

/// Observations counted into fixed buckets (one labelled child of a histogram family). Lock-free:
/// one atomic per bucket (non-cumulative; cumulated when rendered), plus the sum and count.
public final class MetricsHistogram: Sendable {
    /// One bucket's counter (atomics cannot be array elements).
    private final class Cell: Sendable {
        let count = Atomic<UInt64>(0)
    }

    /// Upper bounds, ascending, without +Inf.
    public let bounds: [Double]
    private let buckets: [Cell]
    private let total = Atomic<UInt64>(0)
    private let sum = MetricsValue()

    init(bounds: [Double]) {
        self.bounds = bounds
        // One extra bucket for +Inf.
        buckets = (0...bounds.count).map { _ in Cell() }
    }

    /// Records one observation.
    public func observe(_ value: Double) {
        var index = 0
        while index < bounds.count && value > bounds[index] { index += 1 }
        buckets[index].count.add(1, ordering: .relaxed)
        total.add(1, ordering: .relaxed)
        sum.add(value)
    }

    /// Cumulative counts per bound, then the +Inf count, the sum and the count.
    public var snapshot: (cumulative: [UInt64], sum: Double, count: UInt64) {
        var running: UInt64 = 0
        var cumulative: [UInt64] = []
        cumulative.reserveCapacity(buckets.count)
        for bucket in buckets {
            running += bucket.count.load(ordering: .relaxed)
            cumulative.append(running)
        }
        return (cumulative, sum.value, running)
    }
}
