import Glibc

/// Wall-clock seconds, injectable so that expiry can be tested without waiting.
public enum IdentityClock {
    /// Seconds since the epoch.
    @Sendable public static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }
}
