import BerthAuth
import BerthMetadata
import HTTPServer

extension HarborAPI {
    func registerMembers(on router: inout HTTPRouter) {
        route(&router, .get, "/projects/{project}/members") { call in
            let project = try await readableProject(call)
            try await require(call, Permission("member", "list"), in: project)
            let paging = try HarborPaging(call.request)
            var bodies: [HarborMember] = []
            let entity = call.request.queryValue("entityname")
            for member in try await identity.store.members(projectID: project.id) {
                let body = try await memberBody(member)
                if let entity, !entity.isEmpty, !body.entity_name.contains(entity) { continue }
                bodies.append(body)
            }
            let page = Array(bodies.dropFirst(paging.offset).prefix(paging.pageSize))
            return try HarborResponder.json(page, headers: paging.headers(total: bodies.count, request: call.request))
        }
        route(&router, .post, "/projects/{project}/members") { call in
            let project = try await readableProject(call)
            try await require(call, Permission("member", "create"), in: project)
            let body = try await HarborResponder.decode(HarborMemberRequest.self, from: call.request)
            guard let role = ProjectRole(rawValue: body.role_id) else { throw HarborError.badRequest("invalid role_id") }
            let user: UserRecord?
            if let id = body.member_user?.user_id {
                user = try await identity.store.user(id: id)
            } else if let name = body.member_user?.username {
                // In ldap_auth mode a directory user who never logged in is onboarded here, as in Harbor.
                if let known = try await identity.store.user(named: name) {
                    user = known
                } else {
                    user = try await directoryUser(call, named: name)
                }
            } else {
                throw HarborError.badRequest("member_user is required")
            }
            guard let user else { throw HarborError.notFound("user not found") }
            let member = try await identity.addMember(projectID: project.id, userID: user.id, role: role)
            audit(call, project.name, resource: user.username, type: "member", operation: "create")
            return HarborResponder.created("\(Self.base)/projects/\(project.id)/members/\(member.id)")
        }
        route(&router, .get, "/projects/{project}/members/{mid}") { call in
            let (_, member) = try await member(call, Permission("member", "read"))
            return try HarborResponder.json(try await memberBody(member))
        }
        route(&router, .put, "/projects/{project}/members/{mid}") { call in
            let (project, member) = try await member(call, Permission("member", "update"))
            let body = try await HarborResponder.decode(HarborMemberRequest.self, from: call.request)
            guard ProjectRole(rawValue: body.role_id) != nil else { throw HarborError.badRequest("invalid role_id") }
            _ = try await identity.store.updateMemberRole(id: member.id, role: body.role_id)
            audit(call, project.name, resource: try await memberBody(member).entity_name, type: "member", operation: "update")
            return HarborResponder.empty()
        }
        route(&router, .delete, "/projects/{project}/members/{mid}") { call in
            let (project, member) = try await member(call, Permission("member", "delete"))
            _ = try await identity.store.removeMember(id: member.id)
            audit(call, project.name, resource: try await memberBody(member).entity_name, type: "member", operation: "delete")
            return HarborResponder.empty()
        }
    }

    private func member(_ call: Call, _ permission: Permission) async throws -> (ProjectRecord, MemberRecord) {
        let project = try await readableProject(call)
        try await require(call, permission, in: project)
        guard let id = Int64(call.parameter("mid")), let member = try await identity.store.member(id: id),
              member.projectID == project.id else {
            throw HarborError.notFound("member not found")
        }
        return (project, member)
    }

    private func memberBody(_ member: MemberRecord) async throws -> HarborMember {
        let name = member.entityType == "u" ? try await identity.store.user(id: member.entityID)?.username ?? "" : ""
        return HarborMember(id: member.id, project_id: member.projectID, entity_name: name,
                            role_name: ProjectRole(rawValue: member.role)?.name ?? "", role_id: member.role,
                            entity_id: member.entityID, entity_type: member.entityType)
    }
}
