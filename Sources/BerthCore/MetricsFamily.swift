import Synchronization

/// A named metric with label names and one child per distinct label-value list.
public final class MetricsFamily<Child: AnyObject & Sendable>: Sendable {
    /// The metric name, e.g. `berth_http_requests_total`.
    public let name: String
    /// The `# HELP` text.
    public let help: String
    /// The label names, in order.
    public let labelNames: [String]
    let kind: MetricsKind
    private let make: @Sendable () -> Child
    private let children = Mutex<[[String]: Child]>([:])

    init(name: String, help: String, labelNames: [String], kind: MetricsKind, make: @escaping @Sendable () -> Child) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
        self.kind = kind
        self.make = make
    }

    /// The child for these label values (created on first use); the count must match `labelNames`.
    public func labels(_ values: String...) -> Child { child(values) }

    /// The child for these label values (created on first use); missing values are empty strings.
    public func child(_ values: [String]) -> Child {
        var key = values
        if key.count != labelNames.count {
            key = Array(key.prefix(labelNames.count))
            while key.count < labelNames.count { key.append("") }
        }
        return children.withLock { children in
            if let existing = children[key] { return existing }
            let made = make()
            children[key] = made
            return made
        }
    }

    /// Removes one child (for example a deleted project's gauge).
    public func remove(_ values: [String]) {
        _ = children.withLock { $0.removeValue(forKey: values) }
    }

    /// Every child with its label values, sorted by them.
    var snapshot: [(labels: [String], child: Child)] {
        let all = children.withLock { Array($0) }
        return all.map { (labels: $0.key, child: $0.value) }
            .sorted { $0.labels.lexicographicallyPrecedes($1.labels) }
    }
}

/// The Prometheus type of a family.
enum MetricsKind: String, Sendable {
    case counter, gauge, histogram
}
