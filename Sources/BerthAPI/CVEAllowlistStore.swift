import BerthMetadata
import BerthPolicy
import FoundationEssentials

/// Where CVE allowlists live: system settings on the metadata database (shared by every node).
public enum CVEAllowlistStore {
    public static let systemKey = "cve_allowlist.system"
    public static func projectKey(_ id: Int64) -> String { "cve_allowlist.project.\(id)" }

    public static func load(_ store: any IdentityStore, key: String) async throws -> CVEAllowlist? {
        guard let json = try await store.setting(key) else { return nil }
        return try? JSONDecoder().decode(CVEAllowlist.self, from: Data(json.utf8))
    }

    public static func save(_ store: any IdentityStore, key: String, _ list: CVEAllowlist) async throws {
        try await store.setSetting(key, String(decoding: try JSONEncoder().encode(list), as: UTF8.self))
    }

    /// The list a project's pulls use (`reuse_sys_cve_allowlist` defaults to true, as in Harbor).
    public static func effective(_ store: any IdentityStore, project: ProjectRecord) async throws -> CVEAllowlist {
        let reuse = project.metadata["reuse_sys_cve_allowlist"]?.lowercased() != "false"
        return CVEAllowlist.effective(system: try await load(store, key: systemKey),
                                      project: reuse ? nil : try await load(store, key: projectKey(project.id)),
                                      reuseSystem: reuse)
    }
}
