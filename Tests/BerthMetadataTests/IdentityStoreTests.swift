import BerthMetadata
import Testing

/// `IdentityStore` behaviour that every backend must share: users, projects and settings.
@Suite("IdentityStore contract")
struct IdentityStoreTests {
    @Test(arguments: MetadataStoreFactory.all)
    func usersAreCreatedFoundUpdatedAndDeleted(_ factory: MetadataStoreFactory) async throws {
        let store = try await StoreSuite.make(factory).identity
        let alice = try await store.createUser(UserRecord(username: "Alice", email: "a@example.test", passwordHash: "h1",
                                                          isSysadmin: true))
        let bob = try await store.createUser(UserRecord(username: "bob", source: "oidc", oidcSubject: "sub-bob"))
        #expect(alice.id > 0 && bob.id > alice.id)
        #expect(alice.createdAt > 0 && alice.updatedAt == alice.createdAt)
        await #expect(throws: IdentityStoreError.self) { try await store.createUser(UserRecord(username: "Alice")) }

        let found = try #require(try await store.user(id: alice.id))
        #expect(found == alice)
        #expect(found.isSysadmin && !found.isDisabled && found.passwordHash == "h1" && found.oidcSubject == nil)
        #expect(try await store.user(named: "Alice")?.id == alice.id)
        #expect(try await store.user(named: "alice") == nil)
        #expect(try await store.user(oidcSubject: "sub-bob")?.id == bob.id)
        #expect(try await store.user(oidcSubject: "nobody") == nil)

        var changed = found
        changed.email = "new@example.test"
        changed.isDisabled = true
        changed.cliSecret = "secret"
        try await store.updateUser(changed)
        let reread = try #require(try await store.user(id: alice.id))
        #expect(reread.email == "new@example.test" && reread.isDisabled && reread.cliSecret == "secret")
        var clash = reread
        clash.username = "bob"
        await #expect(throws: IdentityStoreError.self) { try await store.updateUser(clash) }

        #expect(try await store.deleteUser(id: bob.id))
        #expect(try await !store.deleteUser(id: bob.id))
        #expect(try await store.user(id: bob.id) == nil)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func usersArePagedAndFilteredWithoutCase(_ factory: MetadataStoreFactory) async throws {
        let store = try await StoreSuite.make(factory).identity
        for name in ["carol", "Dave", "dan", "erin", "x_y", "xay"] { _ = try await store.createUser(UserRecord(username: name)) }
        #expect(try await store.userCount(matching: nil) == 6)
        #expect(try await store.users(matching: nil, offset: 0, limit: 100).map(\.username)
                == ["carol", "Dave", "dan", "erin", "x_y", "xay"])
        #expect(try await store.users(matching: nil, offset: 2, limit: 2).map(\.username) == ["dan", "erin"])
        #expect(try await store.users(matching: "DA", offset: 0, limit: 10).map(\.username) == ["Dave", "dan"])
        #expect(try await store.userCount(matching: "da") == 2)
        // `_` and `%` are literal characters, not wildcards.
        #expect(try await store.users(matching: "_", offset: 0, limit: 10).map(\.username) == ["x_y"])
        #expect(try await store.userCount(matching: "%") == 0)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func usersSortByHarborsKeys(_ factory: MetadataStoreFactory) async throws {
        let store = try await StoreSuite.make(factory).identity
        for (name, email, admin) in [("mia", "b@x.test", false), ("Ann", "c@x.test", true), ("zoe", "a@x.test", false)] {
            _ = try await store.createUser(UserRecord(username: name, email: email, isSysadmin: admin))
        }
        func names(_ sort: [ListingSort]) async throws -> [String] {
            try await store.users(matching: nil, sort: sort, offset: 0, limit: 10).map(\.username)
        }
        #expect(try await names([]) == ["mia", "Ann", "zoe"])  // by id
        #expect(try await names([ListingSort(key: "username")]) == ["Ann", "mia", "zoe"])  // byte-wise
        #expect(try await names([ListingSort(key: "username", descending: true)]) == ["zoe", "mia", "Ann"])
        #expect(try await names([ListingSort(key: "email")]) == ["zoe", "mia", "Ann"])
        #expect(try await names([ListingSort(key: "sysadmin_flag", descending: true), ListingSort(key: "username")])
                == ["Ann", "mia", "zoe"])
        #expect(try await store.users(matching: "i", sort: [ListingSort(key: "username", descending: true)],
                                      offset: 0, limit: 1).map(\.username) == ["mia"])
        await #expect(throws: ListingError.self) { try await names([ListingSort(key: "password_hash")]) }
    }

    @Test(arguments: MetadataStoreFactory.all)
    func projectsWithMetadataPublicFilterAndOrder(_ factory: MetadataStoreFactory) async throws {
        let store = try await StoreSuite.make(factory).identity
        let owner = try await store.createUser(UserRecord(username: "owner"))
        let library = try await store.createProject(ProjectRecord(name: "library", ownerID: owner.id,
                                                                  metadata: ["public": "true", "auto_scan": "false"]))
        _ = try await store.createProject(ProjectRecord(name: "Zeta", ownerID: owner.id))
        _ = try await store.createProject(ProjectRecord(name: "alpha", ownerID: owner.id, storageLimit: 1024))
        await #expect(throws: IdentityStoreError.self) {
            try await store.createProject(ProjectRecord(name: "library", ownerID: owner.id))
        }
        #expect(try await store.project(id: library.id)?.metadata == ["public": "true", "auto_scan": "false"])
        #expect(try await store.project(named: "library")?.isPublic == true)
        #expect(try await store.project(named: "alpha")?.storageLimit == 1024)
        // Byte order: upper case before lower case, as on SQLite.
        #expect(try await store.projects(matching: nil, publicOnly: false, offset: 0, limit: 10).map(\.name)
                == ["Zeta", "alpha", "library"])
        #expect(try await store.projects(matching: nil, publicOnly: true, offset: 0, limit: 10).map(\.name) == ["library"])
        #expect(try await store.projectCount(matching: "A", publicOnly: false) == 3)
        #expect(try await store.projects(matching: nil, publicOnly: false, offset: 1, limit: 1).map(\.name) == ["alpha"])

        try await store.setProjectMetadata(projectID: library.id, ["public": "false", "severity": "high"])
        try await store.deleteProjectMetadata(projectID: library.id, key: "auto_scan")
        #expect(try await store.project(id: library.id)?.metadata == ["public": "false", "severity": "high"])
        #expect(try await store.projectCount(matching: nil, publicOnly: true) == 0)
        try await store.setStorageLimit(projectID: library.id, bytes: 77)
        #expect(try await store.project(id: library.id)?.storageLimit == 77)

        #expect(try await store.deleteProject(id: library.id))
        #expect(try await !store.deleteProject(id: library.id))
        #expect(try await store.project(named: "library") == nil)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func membersOfProjects(_ factory: MetadataStoreFactory) async throws {
        let store = try await StoreSuite.make(factory).identity
        let alice = try await store.createUser(UserRecord(username: "alice"))
        let bob = try await store.createUser(UserRecord(username: "bob"))
        let one = try await store.createProject(ProjectRecord(name: "one", ownerID: alice.id))
        let two = try await store.createProject(ProjectRecord(name: "two", ownerID: alice.id))
        let first = try await store.addMember(MemberRecord(projectID: one.id, entityID: alice.id, role: 1))
        let second = try await store.addMember(MemberRecord(projectID: one.id, entityID: bob.id, role: 3))
        let third = try await store.addMember(MemberRecord(projectID: two.id, entityID: bob.id, role: 2))
        await #expect(throws: IdentityStoreError.self) {
            try await store.addMember(MemberRecord(projectID: one.id, entityID: bob.id, role: 1))
        }
        #expect(try await store.member(id: second.id) == second)
        #expect(try await store.member(projectID: one.id, userID: bob.id)?.role == 3)
        #expect(try await store.members(projectID: one.id).map(\.id) == [first.id, second.id])
        #expect(try await store.memberships(userID: bob.id).map(\.projectID) == [one.id, two.id])
        #expect(try await store.updateMemberRole(id: second.id, role: 4))
        #expect(try await store.member(id: second.id)?.role == 4)
        #expect(try await store.removeMember(id: third.id))
        #expect(try await !store.removeMember(id: third.id))
        #expect(try await store.memberships(userID: bob.id).map(\.projectID) == [one.id])
        // Deleting a user or a project takes its memberships with it.
        #expect(try await store.deleteUser(id: bob.id))
        #expect(try await store.members(projectID: one.id).map(\.entityID) == [alice.id])
        #expect(try await store.deleteProject(id: one.id))
        #expect(try await store.memberships(userID: alice.id).isEmpty)
    }

    @Test(arguments: MetadataStoreFactory.all)
    func settingsAreUpserted(_ factory: MetadataStoreFactory) async throws {
        let store = try await StoreSuite.make(factory).identity
        #expect(try await store.setting("auth_mode") == nil)
        try await store.setSetting("auth_mode", "db_auth")
        try await store.setSetting("auth_mode", "oidc_auth")
        try await store.setSetting("other", "")
        #expect(try await store.setting("auth_mode") == "oidc_auth")
        #expect(try await store.setting("other") == "")
    }
}
