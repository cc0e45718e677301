import Synchronization

/// A per-request cell through which the router reports the matched pattern to the server (the handler
/// works on copies of the request, so the value travels by reference).
final class RouteRecorder: Sendable {
    private let value = Mutex<String?>(nil)

    init() {}

    var pattern: String? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
