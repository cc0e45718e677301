/// Exponential backoff between attempts of a failed job: `base`, then twice as long each attempt, at
/// most `maximum`, with up to `jitter` (a fraction) added at random so retries of many jobs spread out.
public struct RetryPolicy: Sendable, Equatable {
    public var baseMillis: Int64
    public var maximumMillis: Int64
    /// 0 for none; 0.2 adds up to 20 %.
    public var jitter: Double

    public init(baseMillis: Int64 = 5_000, maximumMillis: Int64 = 3_600_000, jitter: Double = 0.2) {
        self.baseMillis = max(0, baseMillis)
        self.maximumMillis = max(self.baseMillis, maximumMillis)
        self.jitter = max(0, jitter)
    }

    /// The delay before the next attempt after attempt number `attempt` (1-based) failed.
    public func delayMillis(afterAttempt attempt: Int) -> Int64 {
        let exponent = min(max(attempt, 1) - 1, 40)
        let (scaled, overflow) = baseMillis.multipliedReportingOverflow(by: Int64(1) << Int64(exponent))
        let delay = overflow ? maximumMillis : min(scaled, maximumMillis)
        guard jitter > 0, delay > 0 else { return delay }
        return delay + Int64(Double(delay) * Double.random(in: 0...jitter))
    }
}
