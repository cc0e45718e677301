import BerthMetadata
import Testing

/// Two stores on one PostgreSQL schema stand for two Berth nodes of a cluster: what one writes, the
/// other reads, and races for the same id or name end with one winner and no error but `conflict`.
@Suite("PostgreSQL identity shared between nodes", .enabled(if: PostgresTestDatabase.configuredURL != nil))
struct PostgresIdentitySharingTests {
    static func twoNodes() throws -> (PostgresMetadataStore, PostgresMetadataStore) {
        let url = try PostgresTestDatabase.url()
        let schema = PostgresTestDatabase.freshSchema()
        return (try PostgresMetadataStore(url: url, schema: schema), try PostgresMetadataStore(url: url, schema: schema))
    }

    @Test func usersSessionsAndSettingsAreSeenByTheOtherNode() async throws {
        let (one, two) = try Self.twoNodes()
        let a = one.identityStore(), b = two.identityStore()
        let admin = try await a.createUser(UserRecord(username: "admin", passwordHash: "hash", isSysadmin: true))
        #expect(try await b.user(named: "admin") == admin)
        try await a.createSession(SessionRecord(id: "sess", userID: admin.id, csrfToken: "csrf", remoteAddress: "",
                                                createdAt: 1, expiresAt: 1_000))
        #expect(try await b.session(id: "sess")?.userID == admin.id)
        try await b.extendSession(id: "sess", expiresAt: 2_000)
        #expect(try await a.session(id: "sess")?.expiresAt == 2_000)
        try await b.deleteSession(id: "sess")
        #expect(try await a.session(id: "sess") == nil)
        try await b.setSetting("token_key", "k")
        #expect(try await a.setting("token_key") == "k")
        let project = try await b.createProject(ProjectRecord(name: "library", ownerID: admin.id, metadata: ["public": "true"]))
        #expect(try await a.project(named: "library") == project)
        await #expect(throws: IdentityStoreError.self) {
            try await a.createUser(UserRecord(username: "admin"))
        }
    }

    @Test func concurrentCreatesOnTwoNodesGetDistinctIds() async throws {
        let (one, two) = try Self.twoNodes()
        let stores = [one.identityStore(), two.identityStore()]
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for n in 0..<24 {
                group.addTask { try await stores[n % 2].createUser(UserRecord(username: "user\(n)")).id }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(Set(ids).count == 24)
        #expect(try await stores[0].userCount(matching: "user") == 24)
    }

    @Test func racingForOneNameLeavesOneWinner() async throws {
        let (one, two) = try Self.twoNodes()
        let stores = [one.identityStore(), two.identityStore()]
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<8 {
                group.addTask {
                    do {
                        _ = try await stores[n % 2].createProject(ProjectRecord(name: "same", ownerID: 1))
                        return true
                    } catch let error as IdentityStoreError {
                        return error == .conflict("project same already exists") ? false : true
                    } catch {
                        return true
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try await stores[1].projectCount(matching: "same", publicOnly: false) == 1)
    }
}
