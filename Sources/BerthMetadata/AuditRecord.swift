/// One audit-log entry: who did what to which resource, when, and from where.
public struct AuditRecord: Sendable, Equatable {
    /// Assigned by the store; ignored on insert.
    public var id: Int64
    /// The project (namespace) the resource belongs to, or nil for system-wide resources.
    public var project: String?
    public var username: String
    /// The resource, e.g. `library/nginx:1.25`, `library/nginx@sha256:…`, a user or project name.
    public var resource: String
    /// Harbor's resource types: `artifact`, `repository`, `tag`, `project`, `user`, `member`, `robot`, `configuration`.
    public var resourceType: String
    /// `create`, `delete`, `pull`, `update`, `login`, `logout`, …
    public var operation: String
    /// The client address ("ip" or "ip:port").
    public var remoteAddress: String
    /// Seconds since the epoch.
    public var time: Int64

    public init(id: Int64 = 0, project: String?, username: String, resource: String, resourceType: String,
                operation: String, remoteAddress: String, time: Int64) {
        self.id = id
        self.project = project
        self.username = username
        self.resource = resource
        self.resourceType = resourceType
        self.operation = operation
        self.remoteAddress = remoteAddress
        self.time = time
    }
}
