/// A list of CVE ids exempted from the pull gate, with an optional expiry (Harbor's `cve_allowlist`).
public struct CVEAllowlist: Sendable, Codable, Equatable {
    /// One allowlisted CVE, in Harbor's body shape (`{"cve_id": "CVE-…"}`).
    public struct Item: Sendable, Codable, Equatable {
        public var cve_id: String
        public init(cve_id: String) { self.cve_id = cve_id }
    }

    /// Harbor's list id (0 for a list never saved).
    public var id: Int64?
    /// The project it belongs to (0 for the system list).
    public var project_id: Int64?
    /// Unix seconds after which the list is ignored; nil or non-positive means it never expires.
    public var expires_at: Int64?
    public var items: [Item]
    public var creation_time: String?
    public var update_time: String?

    public init(items: [String] = [], expiresAt: Int64? = nil, projectID: Int64 = 0) {
        self.id = 0
        self.project_id = projectID
        self.expires_at = expiresAt
        self.items = items.map(Item.init(cve_id:))
    }

    /// True when the list has an expiry at or before `now` (Unix seconds).
    public func isExpired(at now: Int64) -> Bool {
        guard let expires_at, expires_at > 0 else { return false }
        return expires_at <= now
    }

    /// The ids in effect at `now`: empty when the list expired. Ids are compared case-insensitively.
    public func activeIDs(at now: Int64) -> Set<String> {
        isExpired(at: now) ? [] : Set(items.map { $0.cve_id.trimmed.uppercased() }.filter { !$0.isEmpty })
    }

    /// The list a project's pulls use: the system list when the project reuses it (Harbor's
    /// `reuse_sys_cve_allowlist`, the default when the key is absent), else the project's own.
    public static func effective(system: CVEAllowlist?, project: CVEAllowlist?, reuseSystem: Bool) -> CVEAllowlist {
        (reuseSystem ? system : project) ?? CVEAllowlist()
    }
}

extension String {
    var trimmed: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\n" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\n" { scalars.removeLast() }
        return String(scalars)
    }
}
