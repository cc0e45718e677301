import BerthAuth
import BerthMetadata
import HTTPServer

extension HarborAPI {
    struct RobotAccessBody: Codable, Sendable {
        var resource: String
        var action: String
        var effect: String?
    }

    struct RobotPermissionBody: Codable, Sendable {
        var kind: String
        var namespace: String
        var access: [RobotAccessBody]
    }

    struct RobotBody: Encodable, Sendable {
        var id: Int64
        var name: String
        var description: String
        var level: String
        var duration: Int64
        var disable: Bool
        var expires_at: Int64
        var editable = true
        var permissions: [RobotPermissionBody]
        var creation_time: String
        var update_time: String
    }

    struct RobotRequest: Decodable, Sendable {
        var name: String?
        var description: String?
        var level: String?
        var duration: Int64?
        var disable: Bool?
        var secret: String?
        var permissions: [RobotPermissionBody]?
    }

    struct RobotCreated: Encodable, Sendable {
        var id: Int64
        var name: String
        var secret: String
        var creation_time: String
        var expires_at: Int64
    }

    struct RobotSecret: Encodable, Sendable { var secret: String }

    func registerRobots(on router: inout HTTPRouter) {
        route(&router, .get, "/robots") { call in try await listRobots(call) }
        route(&router, .post, "/robots") { call in try await createRobot(call) }
        route(&router, .get, "/robots/{id}") { call in try HarborResponder.json(robotBody(try await robot(call, "read"))) }
        route(&router, .put, "/robots/{id}") { call in
            var robot = try await robot(call, "update")
            let body = try await HarborResponder.decode(RobotRequest.self, from: call.request)
            if let description = body.description { robot.description = description }
            if let disable = body.disable { robot.isDisabled = disable }
            if let duration = body.duration, duration != robot.durationDays {
                robot.durationDays = duration
                robot.expiresAt = identity.expiry(duration)
            }
            if let permissions = body.permissions { robot.permissions = Self.permissions(permissions) }
            try await identity.store.updateRobot(robot)
            credentialsChanged()
            audit(call, robotProject(robot), resource: robot.name, type: "robot", operation: "update")
            return HarborResponder.empty()
        }
        route(&router, .patch, "/robots/{id}") { call in
            let robot = try await robot(call, "update")
            let body = try await HarborResponder.decode(RobotRequest.self, from: call.request)
            let secret = try await identity.refreshRobotSecret(id: robot.id, secret: body.secret)
            credentialsChanged()
            audit(call, robotProject(robot), resource: robot.name, type: "robot", operation: "update")
            return try HarborResponder.json(RobotSecret(secret: secret))
        }
        route(&router, .delete, "/robots/{id}") { call in
            let robot = try await robot(call, "delete")
            _ = try await identity.store.deleteRobot(id: robot.id)
            credentialsChanged()
            audit(call, robotProject(robot), resource: robot.name, type: "robot", operation: "delete")
            return HarborResponder.empty()
        }
    }

    /// System robots need a system administrator; project robots the project's robot permission.
    private func authorizeRobot(_ call: Call, projectID: Int64?, action: String) async throws -> ProjectRecord? {
        guard let projectID else {
            try requireSystem(call, Permission("robot", action))
            return nil
        }
        guard let project = try await identity.store.project(id: projectID) else { throw HarborError.notFound("project not found") }
        try await require(call, Permission("robot", action), in: project)
        return project
    }

    private func robot(_ call: Call, _ action: String) async throws -> RobotRecord {
        try requireLogin(call)
        guard let id = Int64(call.parameter("id")), let robot = try await identity.store.robot(id: id) else {
            throw HarborError.notFound("robot not found")
        }
        _ = try await authorizeRobot(call, projectID: robot.projectID, action: action)
        return robot
    }

    private func listRobots(_ call: Call) async throws -> HTTPResponse {
        try requireLogin(call)
        let paging = try HarborPaging(call.request)
        var projectID: Int64?
        var level: String?
        for term in try HarborQueryParser.parseQuery(call.request.queryValue("q")) {
            switch (term.key.lowercased(), term.condition) {
            case ("projectid", .equals(let value)), ("project_id", .equals(let value)):
                guard let id = Int64(value) else { throw HarborError.badRequest("invalid ProjectID") }
                projectID = id
            case ("level", .equals(let value)):
                guard ["system", "project"].contains(value) else {
                    throw HarborError.badRequest("invalid Level \(value): system or project")
                }
                level = value
            default: throw HarborError.badRequest("unsupported query key \(term.key)")
            }
        }
        _ = try await authorizeRobot(call, projectID: projectID, action: "list")
        let robots = try await identity.store.robots(projectID: projectID, level: level, offset: paging.offset,
                                                     limit: paging.pageSize)
        let total = try await identity.store.robotCount(projectID: projectID, level: level)
        return try HarborResponder.json(robots.map(robotBody), headers: paging.headers(total: total, request: call.request))
    }

    private func createRobot(_ call: Call) async throws -> HTTPResponse {
        try requireLogin(call)
        let body = try await HarborResponder.decode(RobotRequest.self, from: call.request)
        guard let name = body.name else { throw HarborError.badRequest("name is required") }
        let permissions = Self.permissions(body.permissions ?? [])
        var project: ProjectRecord?
        if body.level == "project" {
            guard permissions.count == 1, let namespace = permissions.first?.namespace,
                  let found = try await identity.store.project(named: namespace) else {
                throw HarborError.badRequest("a project robot needs exactly one permission on an existing project")
            }
            project = try await authorizeRobot(call, projectID: found.id, action: "create")
        } else {
            _ = try await authorizeRobot(call, projectID: nil, action: "create")
        }
        let (robot, secret) = try await identity.createRobot(name: name, description: body.description ?? "", project: project,
                                                             durationDays: body.duration ?? -1, permissions: permissions,
                                                             creator: call.principal.name, secret: body.secret)
        audit(call, project?.name, resource: robot.name, type: "robot", operation: "create")
        var response = try HarborResponder.json(RobotCreated(id: robot.id, name: robot.name, secret: secret,
                                                             creation_time: ListingTime.format(robot.createdAt),
                                                             expires_at: robot.expiresAt), status: 201)
        response.headers["Location"] = "\(Self.base)/robots/\(robot.id)"
        return response
    }

    private func robotProject(_ robot: RobotRecord) -> String? {
        robot.level == "project" ? robot.permissions.first?.namespace : nil
    }

    func robotBody(_ robot: RobotRecord) -> RobotBody {
        RobotBody(id: robot.id, name: robot.name, description: robot.description, level: robot.level,
                  duration: robot.durationDays, disable: robot.isDisabled, expires_at: robot.expiresAt,
                  permissions: robot.permissions.map { permission in
                      RobotPermissionBody(kind: permission.kind, namespace: permission.namespace,
                                          access: permission.access.map { .init(resource: $0.resource, action: $0.action,
                                                                                effect: $0.effect) })
                  },
                  creation_time: ListingTime.format(robot.createdAt), update_time: ListingTime.format(robot.updatedAt))
    }

    static func permissions(_ bodies: [RobotPermissionBody]) -> [RobotPermission] {
        bodies.map { body in
            RobotPermission(kind: body.kind, namespace: body.namespace,
                            access: body.access.map { RobotAccess(resource: $0.resource, action: $0.action,
                                                                  effect: $0.effect ?? "allow") })
        }
    }
}
