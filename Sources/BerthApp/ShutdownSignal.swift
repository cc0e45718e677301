import Dispatch
import Glibc
import Synchronization

/// Waits for SIGTERM or SIGINT through Dispatch signal sources.
enum ShutdownSignal {
    /// Suspends until the first SIGTERM or SIGINT and returns its name.
    static func wait() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let resumed = Mutex(false)
            let queue = DispatchQueue(label: "berth.signals")
            var sources: [any DispatchSourceSignal] = []
            for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler {
                    let first = resumed.withLock { done in
                        defer { done = true }
                        return !done
                    }
                    if first { continuation.resume(returning: name) }
                }
                source.resume()
                sources.append(source)
            }
            // The sources must outlive this scope; they live as long as the process.
            SignalSourceKeeper.keep(sources)
        }
    }
}

/// Holds the signal sources for the life of the process.
enum SignalSourceKeeper {
    // Written once per `wait()` under the lock and never read: it only keeps the sources alive.
    private nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []
    private static let lock = Mutex(())
    static func keep(_ new: [any DispatchSourceSignal]) { lock.withLock { _ in sources.append(contentsOf: new) } }
}
