import BerthMetadata
import Testing

/// `IdentityStore` behaviour every backend must share: robots and browser sessions.
@Suite("IdentityStore contract: robots and sessions")
struct IdentityStoreRobotTests {
    static let pushPull = [
        RobotPermission(kind: "project", namespace: "one", access: [
            RobotAccess(resource: "repository", action: "push"),
            RobotAccess(resource: "repository", action: "pull"),
        ]),
        RobotPermission(kind: "project", namespace: "two", access: [RobotAccess(resource: "artifact", action: "delete",
                                                                                effect: "deny")]),
    ]

    @Test(arguments: MetadataStoreFactory.all)
    func robotsWithPermissions(_ factory: MetadataStoreFactory) async throws {
        let store = try await StoreSuite.make(factory).identity
        let owner = try await store.createUser(UserRecord(username: "owner"))
        let one = try await store.createProject(ProjectRecord(name: "one", ownerID: owner.id))
        let system = try await store.createRobot(RobotRecord(name: "robot$ci", secretHash: "s1", level: "system",
                                                             durationDays: -1, expiresAt: -1, permissions: Self.pushPull))
        let scoped = try await store.createRobot(RobotRecord(name: "robot$one+bot", description: "d", secretHash: "s2",
                                                             level: "project", projectID: one.id, durationDays: 30,
                                                             expiresAt: 99, creator: "owner"))
        await #expect(throws: IdentityStoreError.self) {
            try await store.createRobot(RobotRecord(name: "robot$ci", secretHash: "x", level: "system", durationDays: 1,
                                                    expiresAt: 1))
        }
        let read = try #require(try await store.robot(id: system.id))
        #expect(read.projectID == nil && read.secretHash == "s1" && !read.isDisabled)
        // Permissions come back grouped by (kind, namespace), access sorted by resource then action.
        #expect(read.permissions.map(\.namespace) == ["one", "two"])
        #expect(read.permissions[0].access.map(\.action) == ["pull", "push"])
        #expect(read.permissions[1].access == [RobotAccess(resource: "artifact", action: "delete", effect: "deny")])
        #expect(try await store.robot(named: "robot$one+bot")?.projectID == one.id)
        #expect(try await store.robot(named: "robot$none") == nil)

        #expect(try await store.robots(projectID: nil, offset: 0, limit: 10).map(\.id) == [system.id, scoped.id])
        #expect(try await store.robots(projectID: one.id, offset: 0, limit: 10).map(\.id) == [scoped.id])
        #expect(try await store.robots(projectID: nil, offset: 1, limit: 10).map(\.id) == [scoped.id])
        #expect(try await store.robotCount(projectID: nil) == 2)
        #expect(try await store.robotCount(projectID: one.id) == 1)
        #expect(try await store.robots(projectID: nil, level: "system", offset: 0, limit: 10).map(\.id) == [system.id])
        #expect(try await store.robots(projectID: nil, level: "project", offset: 0, limit: 10).map(\.id) == [scoped.id])
        #expect(try await store.robotCount(projectID: nil, level: "system") == 1)
        #expect(try await store.robotCount(projectID: one.id, level: "system") == 0)

        var changed = read
        changed.isDisabled = true
        changed.description = "changed"
        changed.permissions = [RobotPermission(kind: "system", namespace: "/", access: [RobotAccess(resource: "user",
                                                                                                   action: "list")])]
        try await store.updateRobot(changed)
        try await store.setRobotSecret(id: system.id, secretHash: "s3")
        let updated = try #require(try await store.robot(id: system.id))
        #expect(updated.isDisabled && updated.description == "changed" && updated.secretHash == "s3")
        #expect(updated.permissions == changed.permissions)

        // A project's robots go with it.
        #expect(try await store.deleteProject(id: one.id))
        #expect(try await store.robot(id: scoped.id) == nil)
        #expect(try await store.deleteRobot(id: system.id))
        #expect(try await !store.deleteRobot(id: system.id))
        #expect(try await store.robotCount(projectID: nil) == 0)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func sessionsExtendExpireAndFollowTheirUser(_ factory: MetadataStoreFactory) async throws {
        let store = try await StoreSuite.make(factory).identity
        let alice = try await store.createUser(UserRecord(username: "alice"))
        let bob = try await store.createUser(UserRecord(username: "bob"))
        let session = SessionRecord(id: "s-1", userID: alice.id, csrfToken: "csrf", remoteAddress: "127.0.0.1",
                                    createdAt: 100, expiresAt: 200)
        try await store.createSession(session)
        try await store.createSession(SessionRecord(id: "s-2", userID: alice.id, csrfToken: "c2", remoteAddress: "",
                                                    createdAt: 100, expiresAt: 150))
        try await store.createSession(SessionRecord(id: "s-3", userID: bob.id, csrfToken: "c3", remoteAddress: "",
                                                    createdAt: 100, expiresAt: 300))
        #expect(try await store.session(id: "s-1") == session)
        #expect(try await store.session(id: "missing") == nil)
        try await store.extendSession(id: "s-1", expiresAt: 400)
        #expect(try await store.session(id: "s-1")?.expiresAt == 400)
        #expect(try await store.purgeSessions(expiredBy: 150) == 1)
        #expect(try await store.session(id: "s-2") == nil)
        try await store.deleteSession(id: "s-3")
        #expect(try await store.session(id: "s-3") == nil)
        try await store.createSession(SessionRecord(id: "s-4", userID: alice.id, csrfToken: "c4", remoteAddress: "",
                                                    createdAt: 100, expiresAt: 500))
        try await store.deleteSessions(userID: alice.id)
        #expect(try await store.session(id: "s-1") == nil)
        #expect(try await store.session(id: "s-4") == nil)
        // Deleting a user ends its sessions.
        try await store.createSession(SessionRecord(id: "s-5", userID: bob.id, csrfToken: "c5", remoteAddress: "",
                                                    createdAt: 100, expiresAt: 500))
        #expect(try await store.deleteUser(id: bob.id))
        #expect(try await store.session(id: "s-5") == nil)
    }
}
