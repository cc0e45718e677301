import BerthAuth
import BerthMetadata
import HTTPServer

extension HarborAPI {
    func registerSystem(on router: inout HTTPRouter) {
        route(&router, .get, "/systeminfo") { call in try HarborResponder.json(try await systemInfo(call)) }
        route(&router, .get, "/statistics") { call in try await statistics(call) }
        route(&router, .get, "/search") { call in try await search(call) }
        route(&router, .get, "/audit-logs") { call in
            try requireSystem(call, Permission("audit-log", "list"))
            return try await auditPage(call, project: nil)
        }
        route(&router, .get, "/projects/{project}/logs") { call in
            let project = try await readableProject(call)
            try await require(call, Permission("log", "list"), in: project)
            return try await auditPage(call, project: project.name)
        }
    }

    struct SystemInfo: Encodable, Sendable {
        var with_notary = false
        var with_chartmuseum = false
        var registry_url: String
        var external_url: String
        var auth_mode: String?
        /// The provider's display name, while single sign-on is the mode.
        var oidc_provider_name: String?
        var primary_auth_mode: Bool?
        var project_creation_restriction: String?
        var self_registration: Bool?
        var has_ca_root = false
        var harbor_version: String
        var registry_storage_provider_name: String?
        var read_only = false
        var notification_enable = false
        var current_time: String
    }

    /// Anonymous callers get the public subset, as in Harbor: with the authentication mode (and the
    /// provider's name under single sign-on) so the sign-in page can offer "Login via OIDC provider".
    private func systemInfo(_ call: Call) async throws -> SystemInfo {
        var url = settings.externalURL
        if url.isEmpty { url = "http://" + (call.request.headers["Host"] ?? "127.0.0.1") }
        let host = url.split(separator: "/", maxSplits: 2).dropFirst().first.map(String.init) ?? url
        var info = SystemInfo(registry_url: host, external_url: url, harbor_version: settings.version,
                              current_time: ListingTime.format(HarborAuditLog.now()))
        info.auth_mode = settings.authMode
        if let authSettings {
            let live = try await authSettings.current()
            info.auth_mode = live.mode.rawValue
            if live.usesOIDC { info.oidc_provider_name = live.oidcName }
        }
        info.primary_auth_mode = false
        if call.principal != .anonymous {
            info.project_creation_restriction = try await identity.projectCreationRestriction()
            info.self_registration = settings.selfRegistration
            info.registry_storage_provider_name = settings.storageProvider
        }
        return info
    }

    struct Statistics: Encodable, Sendable {
        var private_project_count = 0
        var private_repo_count = 0
        var public_project_count = 0
        var public_repo_count = 0
        var total_project_count: Int?
        var total_repo_count: Int?
        var total_storage_consumption: Int64?
    }

    private func statistics(_ call: Call) async throws -> HTTPResponse {
        try requireLogin(call)
        var stats = Statistics()
        let all = try await identity.store.projects(matching: nil, publicOnly: false, offset: 0, limit: 100_000)
        var mine: Set<Int64> = []
        if case .user(let user) = call.principal {
            mine = Set(try await identity.store.memberships(userID: user.id).map(\.projectID))
        }
        for project in all {
            let repositories = try await listings.repositoryCount(namespace: project.name)
            if project.isPublic {
                stats.public_project_count += 1
                stats.public_repo_count += repositories
            } else if call.principal.isSysadmin || mine.contains(project.id) {
                stats.private_project_count += 1
                stats.private_repo_count += repositories
            }
        }
        if call.principal.isSysadmin {
            stats.total_project_count = all.count
            stats.total_repo_count = try await listings.repositoryCount(namespace: nil)
            stats.total_storage_consumption = try await listings.storageBytes(namespace: nil)
        }
        return try HarborResponder.json(stats)
    }

    struct SearchResult: Encodable, Sendable {
        struct Repository: Encodable, Sendable {
            var project_id: Int64
            var project_name: String
            var project_public: Bool
            var repository_name: String
            var pull_count: Int64
            var artifact_count: Int
        }
        var project: [HarborProject]
        var repository: [Repository]
    }

    /// Projects and repositories whose names contain `q`, among those the caller may see.
    private func search(_ call: Call) async throws -> HTTPResponse {
        let text = call.request.queryValue("q") ?? ""
        let candidates = try await identity.store.projects(matching: nil, publicOnly: false, offset: 0, limit: 100_000)
        var visible: [ProjectRecord] = []
        for project in candidates where try await decider.allows(call.principal, Permission("project", "read"), in: project) {
            visible.append(project)
        }
        var projects: [HarborProject] = []
        for project in visible where text.isEmpty || project.name.contains(text) {
            projects.append(try await projectBody(project, call))
        }
        let byName = Dictionary(visible.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let found = try await listings.searchRepositories(containing: text, namespaces: visible.map(\.name), limit: 100)
        let repositories = found.compactMap { repository -> SearchResult.Repository? in
            guard let project = byName[HarborAuditLog.project(of: repository.name)] else { return nil }
            return .init(project_id: project.id, project_name: project.name, project_public: project.isPublic,
                         repository_name: repository.name, pull_count: repository.pullCount,
                         artifact_count: repository.artifactCount)
        }
        return try HarborResponder.json(SearchResult(project: projects, repository: repositories))
    }

    private func auditPage(_ call: Call, project: String?) async throws -> HTTPResponse {
        let list = try HarborListRequest(call.request)
        await audit.flush()
        let page = try await audit.store.auditPage(project: project, query: list.query)
        let entries = page.items.map { record in
            HarborAuditEntry(id: record.id, username: record.username, resource: record.resource,
                             resource_type: record.resourceType, operation: record.operation,
                             op_time: ListingTime.format(record.time), remote_address: record.remoteAddress)
        }
        return try HarborResponder.json(entries, headers: list.paging.headers(total: page.total, request: call.request))
    }
}
