import Synchronization

/// A small Prometheus registry: counter, gauge and histogram families with labels, rendered in the
/// text exposition format 0.0.4. Updating a child is lock-free; finding a labelled child takes one lock.
public final class MetricsRegistry: Sendable {
    private struct Entry: Sendable {
        let name: String
        let family: any Sendable
        let render: @Sendable (inout String) -> Void
    }

    private let entries = Mutex<[Entry]>([])

    /// The `Content-Type` of `render()`'s output.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Latency buckets in seconds (Prometheus client defaults).
    public static let defaultSecondsBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// Creates an empty registry.
    public init() {}

    /// Registers (or returns the already registered) counter family `name`.
    public func counter(_ name: String, help: String, labels: [String] = []) -> MetricsFamily<MetricsCounter> {
        register(MetricsFamily(name: name, help: help, labelNames: labels, kind: .counter) { MetricsCounter() }) {
            text, child, family in MetricsText.sample(&text, name, family.labelNames, child.labels, child.child.value)
        }
    }

    /// Registers (or returns the already registered) gauge family `name`.
    public func gauge(_ name: String, help: String, labels: [String] = []) -> MetricsFamily<MetricsGauge> {
        register(MetricsFamily(name: name, help: help, labelNames: labels, kind: .gauge) { MetricsGauge() }) {
            text, child, family in MetricsText.sample(&text, name, family.labelNames, child.labels, child.child.value)
        }
    }

    /// Registers (or returns the already registered) histogram family `name` with fixed bucket bounds.
    public func histogram(_ name: String, help: String, labels: [String] = [],
                          buckets: [Double] = defaultSecondsBuckets) -> MetricsFamily<MetricsHistogram> {
        let bounds = buckets.sorted()
        return register(MetricsFamily(name: name, help: help, labelNames: labels, kind: .histogram) {
            MetricsHistogram(bounds: bounds)
        }) { text, child, family in
            MetricsText.histogram(&text, name, family.labelNames, child.labels, child.child)
        }
    }

    private func register<Child>(_ family: MetricsFamily<Child>,
                                 sample: @escaping @Sendable (inout String, (labels: [String], child: Child),
                                                              MetricsFamily<Child>) -> Void) -> MetricsFamily<Child> {
        entries.withLock { entries in
            if let existing = entries.first(where: { $0.name == family.name }) {
                precondition(existing.family is MetricsFamily<Child>, "metric \(family.name) registered twice with different types")
                return existing.family as! MetricsFamily<Child>
            }
            let render: @Sendable (inout String) -> Void = { text in
                MetricsText.header(&text, family.name, family.help, family.kind.rawValue)
                for child in family.snapshot { sample(&text, child, family) }
            }
            entries.append(Entry(name: family.name, family: family, render: render))
            return family
        }
    }

    /// The whole registry in the Prometheus text format (families in registration order).
    public func render() -> String {
        let renderers = entries.withLock { $0.map(\.render) }
        var text = ""
        text.reserveCapacity(4096)
        for render in renderers { render(&text) }
        return text
    }
}
