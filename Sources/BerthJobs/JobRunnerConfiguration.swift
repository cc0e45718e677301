/// How a `JobRunner` polls, watches and retries.
public struct JobRunnerConfiguration: Sendable {
    /// Names this node in the `worker` column (`<nodeID>/<worker number>`).
    public var nodeID: String
    /// Jobs this node runs at once.
    public var concurrency: Int
    /// The first idle wait between polls; doubles while the queue stays empty, up to `maxPollInterval`.
    public var pollInterval: Duration
    public var maxPollInterval: Duration
    /// How often a running job's lease is checked (stop requests, lost leases) and its liveness recorded.
    public var heartbeatInterval: Duration
    /// The backoff after a failed attempt.
    public var retry: RetryPolicy

    public init(nodeID: String, concurrency: Int = 2, pollInterval: Duration = .milliseconds(500),
                maxPollInterval: Duration = .seconds(5), heartbeatInterval: Duration = .seconds(1),
                retry: RetryPolicy = RetryPolicy()) {
        self.nodeID = nodeID
        self.concurrency = max(1, concurrency)
        self.pollInterval = pollInterval
        self.maxPollInterval = max(pollInterval, maxPollInterval)
        self.heartbeatInterval = heartbeatInterval
        self.retry = retry
    }
}
