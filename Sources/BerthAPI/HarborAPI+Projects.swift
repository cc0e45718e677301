import BerthAuth
import BerthMetadata
import BerthPolicy
import HTTPServer

extension HarborAPI {
    func registerProjects(on router: inout HTTPRouter) {
        route(&router, .get, "/projects") { call in try await listProjects(call) }
        route(&router, .head, "/projects") { call in try await projectExists(call) }
        route(&router, .post, "/projects") { call in try await createProject(call) }
        route(&router, .get, "/projects/{project}") { call in
            let project = try await shownProject(call)
            return try HarborResponder.json(try await projectBody(project, call))
        }
        route(&router, .put, "/projects/{project}") { call in try await updateProject(call) }
        route(&router, .delete, "/projects/{project}") { call in try await deleteProject(call) }
        route(&router, .get, "/projects/{project}/summary") { call in try await projectSummary(call) }
        route(&router, .get, "/projects/{project}/metadatas") { call in
            let project = try await readableProject(call)
            try await require(call, Permission("metadata", "read"), in: project)
            return try HarborResponder.json(project.metadata)
        }
        route(&router, .post, "/projects/{project}/metadatas") { call in try await setMetadata(call) }
        route(&router, .put, "/projects/{project}/metadatas/{key}") { call in try await setMetadata(call) }
        route(&router, .get, "/projects/{project}/metadatas/{key}") { call in
            let project = try await readableProject(call)
            try await require(call, Permission("metadata", "read"), in: project)
            guard let value = project.metadata[call.parameter("key")] else { throw HarborError.notFound("metadata not found") }
            return try HarborResponder.json([call.parameter("key"): value])
        }
        route(&router, .delete, "/projects/{project}/metadatas/{key}") { call in
            let project = try await readableProject(call)
            try await require(call, Permission("metadata", "delete"), in: project)
            try await identity.store.deleteProjectMetadata(projectID: project.id, key: call.parameter("key"))
            audit(call, project.name, resource: project.name, type: "project", operation: "update")
            return HarborResponder.empty()
        }
    }

    // MARK: Resolution

    /// The project named by the `{project}` path segment: an id, or a name when it is not numeric or the
    /// `X-Is-Resource-Name: true` header says so. 404 when missing.
    func project(_ call: Call) async throws -> ProjectRecord {
        let key = call.parameter("project")
        let byName = call.request.headers["X-Is-Resource-Name"]?.lowercased() == "true"
        let found: ProjectRecord?
        if !byName, let id = Int64(key) {
            found = try await identity.store.project(id: id)
        } else {
            found = try await identity.store.project(named: key)
        }
        guard let found else { throw HarborError.notFound("project \(key) not found") }
        return found
    }

    /// The project, if the caller may at least read it (anonymous callers are told to log in: 401;
    /// other strangers get 403). Robots hold only their grants, so the route's own check decides for them.
    func readableProject(_ call: Call) async throws -> ProjectRecord {
        let project = try await project(call)
        if case .robot = call.principal { return project }
        try await require(call, Permission("project", "read"), in: project)
        return project
    }

    /// The project for routes that show the project itself (its body, summary, CVE allowlist): every caller,
    /// robots included, needs `project:read` (Harbor's `RequireProjectAccess(ctx, p, ActionRead)`).
    func shownProject(_ call: Call) async throws -> ProjectRecord {
        let project = try await project(call)
        try await require(call, Permission("project", "read"), in: project)
        return project
    }

    func projectBody(_ project: ProjectRecord, _ call: Call) async throws -> HarborProject {
        let role = try await decider.role(of: call.principal, in: project)
        let owner = try await identity.store.user(id: project.ownerID)
        return HarborProject(project_id: project.id, owner_id: project.ownerID, owner_name: owner?.username ?? "",
                             name: project.name, registry_id: nil, creation_time: ListingTime.format(project.createdAt),
                             update_time: ListingTime.format(project.updatedAt), deleted: false, togglable: true,
                             current_user_role_id: role?.rawValue ?? 0, current_user_role_ids: role.map { [$0.rawValue] } ?? [],
                             repo_count: try await listings.repositoryCount(namespace: project.name),
                             metadata: project.metadata,
                             cve_allowlist: try await CVEAllowlistStore.load(identity.store, key: CVEAllowlistStore.projectKey(project.id))
                                 ?? CVEAllowlist(projectID: project.id))
    }

    /// Stores the `cve_allowlist` of a project body where `/projects/{p}/cve_allowlist` keeps it.
    private func saveAllowlist(_ list: CVEAllowlist?, of project: ProjectRecord) async throws {
        guard var list else { return }
        let key = CVEAllowlistStore.projectKey(project.id)
        let now = ListingTime.format(HarborAuditLog.now())
        let previous = try await CVEAllowlistStore.load(identity.store, key: key)
        list.id = project.id
        list.project_id = project.id
        list.creation_time = previous?.creation_time ?? now
        list.update_time = now
        try await CVEAllowlistStore.save(identity.store, key: key, list)
    }

    // MARK: Handlers

    private func listProjects(_ call: Call) async throws -> HTTPResponse {
        let paging = try HarborPaging(call.request)
        let name = call.request.queryValue("name")
        let terms = try HarborQueryParser.parseQuery(call.request.queryValue("q"))
        var fuzzy = name
        var exact: String?
        var wantPublic = call.request.queryValue("public").map { $0 == "true" }
        for term in terms {
            switch (term.key, term.condition) {
            case ("name", .fuzzy(let value)): fuzzy = value
            case ("name", .equals(let value)): exact = value
            case ("public", .equals(let value)): wantPublic = value == "true"
            default: throw HarborError.badRequest("unsupported query key \(term.key)")
            }
        }
        var visible = try await identity.store.projects(matching: exact ?? fuzzy, publicOnly: false, offset: 0, limit: 100_000)
        if let exact { visible = visible.filter { $0.name == exact } }
        if let wantPublic { visible = visible.filter { $0.isPublic == wantPublic } }
        if !call.principal.isSysadmin {
            var mine: Set<Int64> = []
            if case .user(let user) = call.principal {
                mine = Set(try await identity.store.memberships(userID: user.id).map(\.projectID))
            }
            var allowed: [ProjectRecord] = []
            for project in visible where project.isPublic || mine.contains(project.id) {
                allowed.append(project)
            }
            if case .robot(let robot) = call.principal {
                allowed = visible.filter { project in project.isPublic || robot.allows(.pull, inProject: project.name) }
            }
            visible = allowed
        }
        visible = try ProjectListSort.apply(try HarborQueryParser.parseSort(call.request.queryValue("sort")), to: visible)
        let page = visible.dropFirst(paging.offset).prefix(paging.pageSize)
        var bodies: [HarborProject] = []
        for project in page { bodies.append(try await projectBody(project, call)) }
        return try HarborResponder.json(bodies, headers: paging.headers(total: visible.count, request: call.request))
    }

    private func projectExists(_ call: Call) async throws -> HTTPResponse {
        try requireLogin(call)
        guard let name = call.request.queryValue("project_name"), !name.isEmpty else {
            throw HarborError.badRequest("project_name is required")
        }
        guard try await identity.store.project(named: name) != nil else { throw HarborError.notFound("project not found") }
        return HarborResponder.empty()
    }

    private func createProject(_ call: Call) async throws -> HTTPResponse {
        try requireLogin(call)
        let body = try await HarborResponder.decode(HarborProjectRequest.self, from: call.request)
        guard let name = body.project_name, !name.isEmpty else { throw HarborError.badRequest("project_name is required") }
        let isPublic = body.metadata?["public"].map { $0 == "true" } ?? body.public ?? false
        let project = try await identity.createProject(name: name, creator: call.principal, isPublic: isPublic,
                                                       metadata: body.metadata ?? [:], storageLimit: body.storage_limit ?? -1)
        try await saveAllowlist(body.cve_allowlist, of: project)
        audit(call, project.name, resource: project.name, type: "project", operation: "create")
        return HarborResponder.created("\(Self.base)/projects/\(project.id)")
    }

    private func updateProject(_ call: Call) async throws -> HTTPResponse {
        let project = try await readableProject(call)
        try await require(call, Permission("project", "update"), in: project)
        let body = try await HarborResponder.decode(HarborProjectRequest.self, from: call.request)
        var values = (body.metadata ?? [:]).filter { IdentityService.projectMetadataKeys.contains($0.key) }
        if let isPublic = body.public, values["public"] == nil { values["public"] = isPublic ? "true" : "false" }
        if !values.isEmpty { try await identity.store.setProjectMetadata(projectID: project.id, values) }
        if let limit = body.storage_limit {
            guard call.principal.isSysadmin else { throw HarborError.forbidden("only administrators set quotas") }
            try await identity.store.setStorageLimit(projectID: project.id, bytes: limit)
        }
        try await saveAllowlist(body.cve_allowlist, of: project)
        audit(call, project.name, resource: project.name, type: "project", operation: "update")
        return HarborResponder.empty()
    }

    private func deleteProject(_ call: Call) async throws -> HTTPResponse {
        let project = try await readableProject(call)
        try await require(call, Permission("project", "delete"), in: project)
        guard try await listings.repositoryCount(namespace: project.name) == 0 else {
            throw HarborError(.preconditionFailed, "the project still contains repositories")
        }
        _ = try await identity.store.deleteProject(id: project.id)
        audit(call, project.name, resource: project.name, type: "project", operation: "delete")
        return HarborResponder.empty()
    }

    private func projectSummary(_ call: Call) async throws -> HTTPResponse {
        let project = try await shownProject(call)
        let members = try await identity.store.members(projectID: project.id)
        func count(_ role: ProjectRole) -> Int { members.filter { $0.role == role.rawValue }.count }
        let used = try await listings.storageBytes(namespace: project.name)
        return try HarborResponder.json(HarborProjectSummary(
            repo_count: try await listings.repositoryCount(namespace: project.name),
            project_admin_count: count(.projectAdmin), maintainer_count: count(.maintainer),
            developer_count: count(.developer), guest_count: count(.guest), limited_guest_count: count(.limitedGuest),
            quota: .init(hard: ["storage": project.storageLimit], used: ["storage": used])))
    }

    private func setMetadata(_ call: Call) async throws -> HTTPResponse {
        let project = try await readableProject(call)
        try await require(call, Permission("metadata", "update"), in: project)
        let values = try await HarborResponder.decode([String: String].self, from: call.request)
        for key in values.keys where !IdentityService.projectMetadataKeys.contains(key) {
            throw HarborError.badRequest("unknown metadata key \(key)")
        }
        try await identity.store.setProjectMetadata(projectID: project.id, values)
        audit(call, project.name, resource: project.name, type: "project", operation: "update")
        return HarborResponder.empty()
    }

    /// Queues an audit entry for the caller.
    func audit(_ call: Call, _ project: String?, resource: String, type: String, operation: String) {
        audit.record(project: project, username: call.principal.name, resource: resource, resourceType: type,
                     operation: operation, address: call.address)
    }
}
