/// What to enqueue.
public struct JobRequest: Sendable, Equatable {
    public var type: String
    public var payload: String
    /// Not before this time; nil means now.
    public var runAfter: Int64?
    public var maxAttempts: Int
    public var timeoutMillis: Int64
    /// When set, enqueueing a second job with the same key returns the first one instead.
    public var dedupeKey: String?

    public init(type: String, payload: String = "{}", runAfter: Int64? = nil, maxAttempts: Int = 3,
                timeoutMillis: Int64 = 600_000, dedupeKey: String? = nil) {
        self.type = type
        self.payload = payload
        self.runAfter = runAfter
        self.maxAttempts = max(1, maxAttempts)
        self.timeoutMillis = max(1, timeoutMillis)
        self.dedupeKey = dedupeKey
    }
}
