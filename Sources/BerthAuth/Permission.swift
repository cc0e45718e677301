/// A `{resource, action}` pair in Harbor's RBAC vocabulary (`repository`/`push`, `member`/`create`, …).
public struct Permission: Sendable, Hashable, CustomStringConvertible {
    public let resource: String
    public let action: String

    public init(_ resource: String, _ action: String) {
        self.resource = resource
        self.action = action
    }

    public var description: String { "\(resource):\(action)" }

    /// Harbor's resource names.
    public enum Resource {
        public static let project = "project"
        public static let member = "member"
        public static let metadata = "metadata"
        public static let log = "log"
        public static let label = "label"
        public static let quota = "quota"
        public static let repository = "repository"
        public static let tagRetention = "tag-retention"
        public static let immutableTag = "immutable-tag"
        public static let configuration = "configuration"
        public static let robot = "robot"
        public static let notificationPolicy = "notification-policy"
        public static let scan = "scan"
        public static let scanner = "scanner"
        public static let artifact = "artifact"
        public static let artifactAddition = "artifact-addition"
        public static let tag = "tag"
        public static let accessory = "accessory"
        public static let artifactLabel = "artifact-label"
        public static let preheatPolicy = "preheat-policy"
        public static let user = "user"
        public static let auditLog = "audit-log"
        public static let catalog = "catalog"
    }

    /// Harbor's action names.
    public enum Action {
        public static let create = "create"
        public static let read = "read"
        public static let update = "update"
        public static let delete = "delete"
        public static let list = "list"
        public static let pull = "pull"
        public static let push = "push"
        public static let operate = "operate"
        public static let stop = "stop"
    }

    public static let pull = Permission(Resource.repository, Action.pull)
    public static let push = Permission(Resource.repository, Action.push)
    /// Deleting manifests, tags and blobs through `/v2` (Harbor: `repository:delete`).
    public static let deleteRepository = Permission(Resource.repository, Action.delete)
}
