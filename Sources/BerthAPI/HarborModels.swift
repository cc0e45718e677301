// Response and request bodies of the Harbor API. Property names are Harbor's JSON field names
// (snake_case, from Harbor's swagger), so the structs encode without key mapping.

import BerthPolicy

/// `Project` in Harbor's swagger.
struct HarborProject: Codable, Sendable {
    var project_id: Int64
    var owner_id: Int64
    var owner_name: String
    var name: String
    var registry_id: Int64?
    var creation_time: String
    var update_time: String
    var deleted: Bool
    var togglable: Bool
    var current_user_role_id: Int
    var current_user_role_ids: [Int]
    var repo_count: Int
    var metadata: [String: String]
    /// The project's own CVE allowlist (the same one `/projects/{p}/cve_allowlist` reads and writes).
    var cve_allowlist: CVEAllowlist?
}

/// `ProjectReq`.
struct HarborProjectRequest: Decodable, Sendable {
    var project_name: String?
    var `public`: Bool?
    var metadata: [String: String]?
    var storage_limit: Int64?
    var cve_allowlist: CVEAllowlist?
}

/// `ProjectSummary`.
struct HarborProjectSummary: Encodable, Sendable {
    struct Quota: Encodable, Sendable {
        var hard: [String: Int64]
        var used: [String: Int64]
    }
    var repo_count: Int
    var project_admin_count: Int
    var maintainer_count: Int
    var developer_count: Int
    var guest_count: Int
    var limited_guest_count: Int
    var quota: Quota
}

/// `ProjectMemberEntity`.
struct HarborMember: Encodable, Sendable {
    var id: Int64
    var project_id: Int64
    var entity_name: String
    var role_name: String
    var role_id: Int
    var entity_id: Int64
    var entity_type: String
}

/// `ProjectMember` (create) and `RoleRequest` (update).
struct HarborMemberRequest: Decodable, Sendable {
    struct UserEntity: Decodable, Sendable {
        var user_id: Int64?
        var username: String?
    }
    var role_id: Int
    var member_user: UserEntity?
}

/// `Repository`.
struct HarborRepository: Encodable, Sendable {
    var id: Int64
    var project_id: Int64
    var name: String
    var description: String
    var artifact_count: Int
    var pull_count: Int64
    var creation_time: String
    var update_time: String
}

/// `Tag`.
struct HarborTag: Encodable, Sendable {
    var id: Int64
    var repository_id: Int64
    var artifact_id: Int64
    var name: String
    var push_time: String
    var pull_time: String
    var immutable: Bool
    var signed: Bool
}

/// `Reference` (a child of an index).
struct HarborReference: Encodable, Sendable {
    var parent_id: Int64
    var child_digest: String
}

/// `Artifact`.
struct HarborArtifact: Encodable, Sendable {
    var id: Int64
    var type: String
    var media_type: String
    var manifest_media_type: String
    var artifact_type: String?
    var project_id: Int64
    var repository_id: Int64
    var repository_name: String
    var digest: String
    var size: Int64
    var push_time: String
    var pull_time: String
    var annotations: [String: String]?
    var references: [HarborReference]?
    var tags: [HarborTag]?
    var labels: [String]?
    /// Harbor's `scan_overview`, keyed by report media type (only with `with_scan_overview=true`).
    var scan_overview: [String: ScanOverview]?
}

/// `AuditLog`.
struct HarborAuditEntry: Encodable, Sendable {
    var id: Int64
    var username: String
    var resource: String
    var resource_type: String
    var operation: String
    var op_time: String
    /// Where the request came from (a Berth addition to Harbor's `AuditLog`; `local` for `berth admin`).
    var remote_address: String
}

/// Bodies with only a name or a description.
struct HarborNameRequest: Decodable, Sendable { var name: String }
struct HarborRepositoryRequest: Decodable, Sendable { var description: String? }
