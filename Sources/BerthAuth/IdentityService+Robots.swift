import BerthCrypto
import BerthMetadata

extension IdentityService {
    /// Creates a robot and returns it with its secret, which is shown once and stored only hashed.
    /// - Parameters:
    ///   - project: the project of a project-level robot; nil for a system-level one.
    ///   - durationDays: lifetime in days, or -1 for never.
    ///   - secret: a caller-chosen secret (policy checked); a random one when nil.
    public func createRobot(name: String, description: String = "", project: ProjectRecord?, durationDays: Int64,
                            permissions: [RobotPermission], creator: String, secret: String? = nil) async throws
        -> (robot: RobotRecord, secret: String) {
        try RobotName.validate(name)
        guard durationDays == -1 || durationDays > 0 else {
            throw AuthError.invalidInput("duration must be -1 (never expires) or a positive number of days")
        }
        if let project {
            for permission in permissions where permission.kind != "project" || permission.namespace != project.name {
                throw AuthError.invalidInput("a project robot may only hold permissions in \(project.name)")
            }
        }
        let plain = try secret.map { value throws(AuthError) -> String in
            try PasswordPolicy.validate(value)
            return value
        } ?? Self.randomSecret()
        let fullName = RobotName.full(name: name, project: project?.name)
        let record = RobotRecord(name: fullName, description: description, secretHash: PasswordHasher.hashSecret(plain),
                                 level: project == nil ? "system" : "project", projectID: project?.id,
                                 durationDays: durationDays, expiresAt: expiry(durationDays), creator: creator,
                                 permissions: permissions)
        do {
            return (try await store.createRobot(record), plain)
        } catch IdentityStoreError.conflict(let message) {
            throw AuthError.conflict(message)
        }
    }

    /// Replaces a robot's secret with `secret` (policy checked) or a random one; returns the new secret.
    public func refreshRobotSecret(id: Int64, secret: String? = nil) async throws -> String {
        guard try await store.robot(id: id) != nil else { throw AuthError.notFound("robot \(id)") }
        if let secret { try PasswordPolicy.validate(secret) }
        let plain = secret ?? Self.randomSecret()
        try await store.setRobotSecret(id: id, secretHash: PasswordHasher.hashSecret(plain))
        return plain
    }

    /// The robot when `secret` is its secret and it is enabled and unexpired; nil otherwise.
    public func verifyRobot(fullName: String, secret: String) async throws -> RobotRecord? {
        guard let robot = try await store.robot(named: fullName) else { return nil }
        guard PasswordHasher.verify(secret, against: robot.secretHash), isUsable(robot) else { return nil }
        return robot
    }

    /// Enabled and not past its expiry.
    public func isUsable(_ robot: RobotRecord) -> Bool {
        !robot.isDisabled && (robot.expiresAt < 0 || now() < robot.expiresAt)
    }

    /// The expiry time for a lifetime in days from now (-1 stays -1).
    public func expiry(_ durationDays: Int64) -> Int64 {
        durationDays < 0 ? -1 : now() + durationDays * 86_400
    }

    /// A random secret that satisfies the password policy (32 characters from 24 random bytes).
    public static func randomSecret() -> String {
        // Base64 of random bytes, plus a fixed suffix guaranteeing upper, lower and digit.
        let random = Base64.urlEncode(SecureRandom.bytes(24)).replacingDashes()
        return String(random.prefix(29)) + "Aa1"
    }
}

extension String {
    fileprivate func replacingDashes() -> String {
        String(map { $0 == "-" || $0 == "_" ? "x" : $0 })
    }
}
