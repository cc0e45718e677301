import Glibc

/// The wall clock a job store reads, in milliseconds since the Unix epoch; replaceable in tests.
public struct JobClock: Sendable {
    private let read: @Sendable () -> Int64

    public init(_ read: @escaping @Sendable () -> Int64) {
        self.read = read
    }

    /// The current time in milliseconds.
    public func now() -> Int64 { read() }

    /// The system's real-time clock.
    public static let system = JobClock {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
