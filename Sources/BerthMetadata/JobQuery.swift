/// A filter for listing jobs, newest first, paged by id.
public struct JobQuery: Sendable, Equatable {
    public var status: JobStatus?
    public var type: String?
    /// Only jobs with a smaller id (the last id of the previous page).
    public var beforeID: Int64?
    public var limit: Int

    public init(status: JobStatus? = nil, type: String? = nil, beforeID: Int64? = nil, limit: Int = 100) {
        self.status = status
        self.type = type
        self.beforeID = beforeID
        self.limit = max(0, limit)
    }
}
