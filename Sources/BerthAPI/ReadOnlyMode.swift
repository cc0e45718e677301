import Synchronization

/// The registry's read-only switch; flip it at runtime (configuration API, admin command).
public final class ReadOnlyMode: Sendable {
    private let enabled: Atomic<Bool>

    /// Creates the switch in the given state.
    public init(enabled: Bool = false) {
        self.enabled = Atomic(enabled)
    }

    /// Whether writes are refused.
    public var isEnabled: Bool {
        get { enabled.load(ordering: .relaxed) }
        set { enabled.store(newValue, ordering: .relaxed) }
    }
}
