import BerthAuth
import BerthCore
import BerthMetadata
import Glibc

/// Runs `berth admin` commands against the identity store that `serve` would use for the same
/// configuration. A running server sees the changes (logins already cached stay valid for up to 30 s).
public struct AdminRunner: Sendable {
    let service: IdentityService
    /// The audit log table, when the metadata store keeps one: every change made here is recorded in it,
    /// by `admin (cli)` from `local`, like changes made through the API.
    let audit: (any AuditStore)?
    /// Where lines of output go (standard output in the executable; collected in tests).
    let output: @Sendable (String) -> Void

    /// Opens the stores `configuration` names and performs first-start bootstrap (the `admin` user and
    /// the public `library` project), exactly as `serve` does.
    public init(configuration: BerthConfiguration,
                output: @escaping @Sendable (String) -> Void = { Console.out($0) }) async throws {
        try DataDirectory.prepare(configuration.dataDirectory)
        let metadata = try StoreFactory.metadataStore(configuration)
        let store = try IdentityWiring.identityStore(dataDirectory: configuration.dataDirectory, metadata: metadata)
        service = IdentityService(store: store)
        audit = metadata as? any AuditStore
        self.output = output
        try await IdentityWiring.bootstrap(service)
    }

    /// The principal admin commands act as: the operator has the system administrator's rights, and
    /// projects it creates are owned by `admin`.
    func operatorPrincipal() async throws -> Principal {
        let admin = try await service.store.user(named: "admin")
        return .user(UserPrincipal(id: admin?.id ?? 1, username: "admin", isSysadmin: true, method: "cli"))
    }

    /// Runs one command. `password` is the one read with `--password-stdin`, if any.
    public func run(_ action: AdminCommand.Action, standardInputPassword: String? = nil) async throws {
        switch action {
        case let .userAdd(name, password, email, isSysadmin):
            let (secret, generated) = Self.choose(password ?? standardInputPassword)
            let user = try await service.createUser(username: name, password: secret, email: email,
                                                    isSysadmin: isSysadmin)
            try await record(nil, user.username, "user", "create")
            output("Created user \(user.username) (id \(user.id)\(isSysadmin ? ", system administrator" : ""))")
            if generated { output("Password, shown only this once: \(secret)") }
        case let .userPasswd(name, password):
            let user = try await requireUser(name)
            let (secret, generated) = Self.choose(password ?? standardInputPassword)
            try await service.changePassword(userID: user.id, newPassword: secret)
            try await record(nil, user.username, "user", "update")
            output("Changed the password of \(user.username)")
            if generated { output("Password, shown only this once: \(secret)") }
        case .userList:
            output(Self.row(["ID", "USERNAME", "SYSADMIN", "DISABLED", "SOURCE", "EMAIL"]))
            for user in try await service.store.users(matching: nil, offset: 0, limit: 1_000_000) {
                output(Self.row(["\(user.id)", user.username, "\(user.isSysadmin)", "\(user.isDisabled)",
                                 user.source, user.email]))
            }
        case let .projectCreate(name, isPublic):
            let project = try await service.createProject(name: name, creator: try await operatorPrincipal(),
                                                          isPublic: isPublic)
            try await record(project.name, project.name, "project", "create")
            output("Created \(isPublic ? "public" : "private") project \(project.name) (id \(project.id))")
        case .projectList:
            output(Self.row(["ID", "NAME", "PUBLIC", "OWNER"]))
            for project in try await service.store.projects(matching: nil, publicOnly: false, offset: 0,
                                                            limit: 1_000_000) {
                output(Self.row(["\(project.id)", project.name, "\(project.isPublic)", "\(project.ownerID)"]))
            }
        case let .projectMember(projectName, userName, roleName):
            try await setMember(projectName, userName, roleName)
        case let .robotCreate(name, projectName, durationDays, access):
            try await createRobot(name, projectName, durationDays, access)
        }
    }

    private func setMember(_ projectName: String, _ userName: String, _ roleName: String) async throws {
        guard let role = ProjectRole(name: roleName) else {
            throw AuthError.invalidInput("unknown role \(roleName); one of "
                + ProjectRole.allCases.map(\.name).joined(separator: ", "))
        }
        let project = try await requireProject(projectName)
        let user = try await requireUser(userName)
        if let existing = try await service.store.member(projectID: project.id, userID: user.id) {
            _ = try await service.store.updateMemberRole(id: existing.id, role: role.rawValue)
            try await record(project.name, user.username, "member", "update")
        } else {
            _ = try await service.addMember(projectID: project.id, userID: user.id, role: role)
            try await record(project.name, user.username, "member", "create")
        }
        output("\(user.username) is \(role.name) of \(project.name)")
    }

    private func createRobot(_ name: String, _ projectName: String?, _ durationDays: Int64,
                             _ actions: [String]) async throws {
        let allowed: Set<String> = [Permission.Action.pull, Permission.Action.push, Permission.Action.delete]
        for action in actions where !allowed.contains(action) {
            throw AuthError.invalidInput("unknown access \(action); use pull, push or delete")
        }
        let access = actions.map { RobotAccess(resource: Permission.Resource.repository, action: $0) }
        let project = try await projectName.asyncMap(requireProject)
        let permission = RobotPermission(kind: "project", namespace: project?.name ?? "*", access: access)
        let (robot, secret) = try await service.createRobot(name: name, project: project, durationDays: durationDays,
                                                            permissions: [permission], creator: "admin (cli)")
        try await record(project?.name, robot.name, "robot", "create")
        output("Created robot \(robot.name) (id \(robot.id), "
            + (durationDays < 0 ? "never expires" : "expires in \(durationDays) days") + ")")
        output("Secret, shown only this once: \(secret)")
    }

    /// Writes one audit entry at once (the command ends right after, so nothing is queued).
    private func record(_ project: String?, _ resource: String, _ type: String, _ operation: String) async throws {
        try await audit?.appendAudit([AuditRecord(project: project, username: Self.auditUsername, resource: resource,
                                                  resourceType: type, operation: operation, remoteAddress: "local",
                                                  time: Int64(time(nil)))])
    }

    /// Who the audit log names for changes made with `berth admin`.
    static let auditUsername = "admin (cli)"

    private func requireUser(_ name: String) async throws -> UserRecord {
        guard let user = try await service.store.user(named: name) else { throw AuthError.notFound("user \(name)") }
        return user
    }

    private func requireProject(_ name: String) async throws -> ProjectRecord {
        guard let project = try await service.store.project(named: name) else {
            throw AuthError.notFound("project \(name)")
        }
        return project
    }

    /// The given password, or a fresh random one (and whether it was generated).
    static func choose(_ given: String?) -> (String, Bool) {
        if let given, !given.isEmpty { return (given, false) }
        return (IdentityService.randomSecret(), true)
    }

    static func row(_ cells: [String]) -> String {
        let widths = [6, 24, 9, 9, 7]
        return cells.enumerated().map { index, cell in
            index < widths.count && cell.count < widths[index]
                ? cell + String(repeating: " ", count: widths[index] - cell.count) : cell + " "
        }.joined().trimmingTrailingSpaces()
    }

    /// Reads one line from standard input without its line ending.
    public static func readLineFromStandardInput() -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(0, &byte, 1) == 1 {
            if byte == 10 { break }
            bytes.append(byte)
        }
        if bytes.last == 13 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async throws -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
