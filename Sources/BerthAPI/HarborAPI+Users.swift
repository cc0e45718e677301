import BerthAuth
import BerthMetadata
import HTTPServer

extension HarborAPI {
    struct UserBody: Encodable, Sendable {
        var user_id: Int64
        var username: String
        var email: String
        var realname: String
        var comment: String
        var sysadmin_flag: Bool
        var admin_role_in_auth = false
        var creation_time: String
        var update_time: String
        /// Only for OIDC users, only in `/users/current`.
        var oidc_user_meta: OIDCUserMeta?
    }

    /// Harbor's `oidc_user_meta`: the subject (`iss|sub` here) and the CLI secret.
    struct OIDCUserMeta: Encodable, Sendable {
        var user_id: Int64
        var subiss: String
        var secret: String
        var creation_time: String
        var update_time: String
    }

    struct UserCreation: Decodable, Sendable {
        var username: String
        var password: String
        var email: String?
        var realname: String?
        var comment: String?
    }

    struct PasswordChange: Decodable, Sendable {
        var old_password: String?
        var new_password: String
    }

    struct SysadminFlag: Decodable, Sendable { var sysadmin_flag: Bool }
    struct UserSearchEntry: Encodable, Sendable { var user_id: Int64; var username: String }
    struct Access: Encodable, Sendable { var resource: String; var action: String }

    func registerUsers(on router: inout HTTPRouter) {
        route(&router, .get, "/users/current") { call in
            guard case .user(let principal) = call.principal, let user = try await identity.store.user(id: principal.id) else {
                throw denial(call)
            }
            var body = userBody(user)
            if let secrets = cliSecrets, let secret = secrets.reveal(user) {
                body.oidc_user_meta = OIDCUserMeta(user_id: user.id, subiss: user.oidcSubject ?? "", secret: secret,
                                                   creation_time: body.creation_time, update_time: body.update_time)
            }
            return try HarborResponder.json(body, headers: [("Cache-Control", "no-store")])
        }
        route(&router, .get, "/users/current/permissions") { call in try await permissions(call) }
        route(&router, .get, "/users/search") { call in
            try requireLogin(call)
            let paging = try HarborPaging(call.request)
            let text = call.request.queryValue("username") ?? ""
            let users = try await identity.store.users(matching: text, offset: paging.offset, limit: paging.pageSize)
            let total = try await identity.store.userCount(matching: text)
            return try HarborResponder.json(users.map { UserSearchEntry(user_id: $0.id, username: $0.username) },
                                            headers: paging.headers(total: total, request: call.request))
        }
        route(&router, .get, "/users") { call in
            try requireSystem(call, Permission("user", "list"))
            let paging = try HarborPaging(call.request)
            var text = call.request.queryValue("username")
            for term in try HarborQueryParser.parseQuery(call.request.queryValue("q")) {
                switch (term.key, term.condition) {
                case ("username", .fuzzy(let value)), ("username", .equals(let value)): text = value
                default: throw HarborError.badRequest("unsupported query key \(term.key)")
                }
            }
            let sort = try HarborQueryParser.parseSort(call.request.queryValue("sort"))
            let users = try await identity.store.users(matching: text, sort: sort, offset: paging.offset, limit: paging.pageSize)
            let total = try await identity.store.userCount(matching: text)
            return try HarborResponder.json(users.map(userBody), headers: paging.headers(total: total, request: call.request))
        }
        route(&router, .post, "/users") { call in
            try requireSystem(call, Permission("user", "create"))
            let body = try await HarborResponder.decode(UserCreation.self, from: call.request)
            let user = try await identity.createUser(username: body.username, password: body.password, email: body.email ?? "",
                                                     realname: body.realname ?? "", comment: body.comment ?? "")
            audit(call, nil, resource: user.username, type: "user", operation: "create")
            return HarborResponder.created("\(Self.base)/users/\(user.id)")
        }
        route(&router, .get, "/users/{id}") { call in try HarborResponder.json(userBody(try await selfOrAdmin(call))) }
        route(&router, .delete, "/users/{id}") { call in
            try requireSystem(call, Permission("user", "delete"))
            let user = try await user(call)
            if case .user(let me) = call.principal, me.id == user.id { throw HarborError.forbidden("you cannot delete yourself") }
            _ = try await identity.store.deleteUser(id: user.id)
            credentialsChanged()
            audit(call, nil, resource: user.username, type: "user", operation: "delete")
            return HarborResponder.empty()
        }
        route(&router, .put, "/users/{id}/password") { call in try await changePassword(call) }
        route(&router, .put, "/users/{id}/sysadmin") { call in
            try requireSystem(call, Permission("user", "update"))
            let user = try await user(call)
            let body = try await HarborResponder.decode(SysadminFlag.self, from: call.request)
            try await identity.setSysadmin(userID: user.id, body.sysadmin_flag)
            credentialsChanged()
            audit(call, nil, resource: user.username, type: "user", operation: "update")
            return HarborResponder.empty()
        }
    }

    func userBody(_ user: UserRecord) -> UserBody {
        UserBody(user_id: user.id, username: user.username, email: user.email, realname: user.realname, comment: user.comment,
                 sysadmin_flag: user.isSysadmin, creation_time: ListingTime.format(user.createdAt),
                 update_time: ListingTime.format(user.updatedAt))
    }

    func user(_ call: Call) async throws -> UserRecord {
        guard let id = Int64(call.parameter("id")), let user = try await identity.store.user(id: id) else {
            throw HarborError.notFound("user not found")
        }
        return user
    }

    /// The user of the path when it is the caller or the caller is a system administrator.
    private func selfOrAdmin(_ call: Call) async throws -> UserRecord {
        try requireLogin(call)
        if case .user(let me) = call.principal, !me.isSysadmin, String(me.id) != call.parameter("id") {
            throw HarborError.forbidden()
        }
        if case .robot = call.principal { throw HarborError.forbidden() }
        return try await user(call)
    }

    private func changePassword(_ call: Call) async throws -> HTTPResponse {
        let user = try await selfOrAdmin(call)
        let body = try await HarborResponder.decode(PasswordChange.self, from: call.request)
        if case .user(let me) = call.principal, me.id == user.id {
            guard let old = body.old_password,
                  try await identity.verifyPassword(username: user.username, password: old) != nil else {
                throw HarborError.forbidden("the old password is wrong")
            }
        }
        try await identity.changePassword(userID: user.id, newPassword: body.new_password)
        credentialsChanged()
        audit(call, nil, resource: user.username, type: "user", operation: "update")
        return HarborResponder.empty()
    }

    /// `scope=/project/{id}` (project permissions) or `/` (system); `relative` is accepted and ignored.
    private func permissions(_ call: Call) async throws -> HTTPResponse {
        try requireLogin(call)
        let scope = call.request.queryValue("scope") ?? "/"
        var granted: [Permission] = []
        if scope.hasPrefix("/project/") {
            let key = String(scope.dropFirst("/project/".count))
            var found: ProjectRecord?
            if let id = Int64(key) { found = try await identity.store.project(id: id) }
            if found == nil { found = try await identity.store.project(named: key) }
            guard let project = found else { throw HarborError.notFound("project not found") }
            granted = Array(try await decider.permissions(of: call.principal, in: project))
        } else if call.principal.isSysadmin {
            granted = RoleMatrix.allPermissions + [Permission("user", "list"), Permission("audit-log", "list")]
        }
        let sorted = Set(granted).sorted { ($0.resource, $0.action) < ($1.resource, $1.action) }
        return try HarborResponder.json(sorted.map { Access(resource: $0.resource, action: $0.action) })
    }
}
