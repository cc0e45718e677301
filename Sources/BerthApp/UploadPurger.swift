import BerthCore
import BerthRegistry

/// Removes upload sessions older than the configured age, on a fixed interval.
struct UploadPurger: Sendable {
    let registry: Registry
    let intervalSeconds: Int64

    func run() async {
        while !Task.isCancelled {
            do {
                let purged = try await registry.purgeStaleUploads()
                if purged > 0 { Log.info("purged \(purged) stale upload sessions") }
            } catch {
                Log.warning("upload purge failed: \(error)")
            }
            try? await Task.sleep(for: .seconds(intervalSeconds))
        }
    }
}
