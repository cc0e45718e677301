import BerthCore
import Dispatch
@testable import BerthMetadata
import Synchronization
import Testing

/// PostgreSQL-only behaviour: several nodes on one database, retries, reconnection, migrations.
@Suite("PostgreSQL metadata store", .enabled(if: PostgresTestDatabase.configuredURL != nil,
                                             "BERTH_TEST_POSTGRES_URL is not set"))
struct PostgresMetadataStoreTests {
    @Test func reopeningKeepsDataAndRefusesANewerSchema() async throws {
        let url = try PostgresTestDatabase.url(), schema = PostgresTestDatabase.freshSchema()
        let bytes = (0...255).map(UInt8.init) + [0, 0]
        let record = ManifestRecord(repository: repo("app"), digest: fakeDigest(1), mediaType: "m", bytes: bytes, createdAt: 1)
        do {
            let store = try PostgresMetadataStore(url: url, schema: schema)
            #expect(try await store.putManifest(record, tag: "latest", requiredBlobs: []) == .stored)
        }
        let reopened = try PostgresMetadataStore(url: url, schema: schema)
        #expect(try await reopened.schemaVersion() == Migrations.all(for: .postgres).last?.version)
        #expect(try await reopened.manifest(repo("app"), tag: "latest")?.bytes == bytes)
        try await reopened.write { db in
            try db.run("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", [.integer(999), .integer(0)])
        }
        #expect(throws: MetadataError.schemaTooNew(999)) { try PostgresMetadataStore(url: url, schema: schema) }
    }

    @Test func nodesStartingTogetherMigrateOnce() async throws {
        let url = try PostgresTestDatabase.url(), schema = PostgresTestDatabase.freshSchema()
        let versions = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let store = try await BlockingPool.shared.run { try PostgresMetadataStore(url: url, schema: schema) }
                    return try await store.schemaVersion()
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let latest = try #require(Migrations.all(for: .postgres).last?.version)
        #expect(versions == Array(repeating: latest, count: 4))
        let store = try PostgresMetadataStore(url: url, schema: schema)
        let rows = try await store.read { db in try db.query("SELECT COUNT(*) FROM schema_migrations") { $0.integer(0) } }
        #expect(rows == [Int64(Migrations.all(for: .postgres).count)])
    }

    @Test func twoNodesRacingOnTheSameManifestAndTagAgree() async throws {
        let url = try PostgresTestDatabase.url(), schema = PostgresTestDatabase.freshSchema()
        let nodes = [try PostgresMetadataStore(url: url, schema: schema), try PostgresMetadataStore(url: url, schema: schema)]
        let shared = manifestRecord("race", 7, blobs: [fakeDigest(1)], children: [])
        try await withThrowingTaskGroup(of: ManifestPutOutcome.self) { group in
            for index in 0..<24 {
                group.addTask {
                    let node = nodes[index % 2]
                    if index % 3 == 0 { return try await node.putManifest(manifestRecord("race", 100 + index), tag: "t\(index)", requiredBlobs: []) }
                    return try await node.putManifest(shared, tag: "latest", requiredBlobs: [])
                }
            }
            for try await outcome in group { #expect(outcome == .stored) }
        }
        for node in nodes {
            #expect(try await node.manifest(repo("race"), tag: "latest")?.bytes == shared.bytes)
            #expect(try await node.tags(repo("race"), after: nil, limit: nil).count == 9)
        }
        let links = try await nodes[0].read { db in
            try db.query("SELECT COUNT(*) FROM manifest_blobs WHERE manifest_digest = ?", [.text(shared.digest.description)]) {
                $0.integer(0)
            }
        }
        #expect(links == [1])
    }

    @Test func manyWritersOnTwoNodesAllSucceed() async throws {
        let url = try PostgresTestDatabase.url(), schema = PostgresTestDatabase.freshSchema()
        let nodes = [try PostgresMetadataStore(url: url, schema: schema), try PostgresMetadataStore(url: url, schema: schema)]
        try await nodes[0].addBlob(fakeDigest(1), size: 1, to: repo("busy"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<80 {
                group.addTask {
                    let node = nodes[index % 2]
                    let record = manifestRecord("busy", 1_000 + index, blobs: [fakeDigest(1)])
                    #expect(try await node.putManifest(record, tag: "t\(index % 20)", requiredBlobs: [fakeDigest(1)]) == .stored)
                    if index % 4 == 0 { try await node.addBlob(fakeDigest(2 + index), size: 2, to: repo("busy")) }
                }
            }
            try await group.waitForAll()
        }
        print("PostgreSQL: 80 concurrent writes on two nodes needed \(nodes[0].retries + nodes[1].retries) retries")
        #expect(try await nodes[1].tags(repo("busy"), after: nil, limit: nil).count == 20)
        #expect(try await nodes[0].missingManifests((0..<80).map { fakeDigest(1_000 + $0) }, in: repo("busy")) == [])
    }

    @Test func serializationFailureRetriesTheWholeTransaction() async throws {
        let url = try PostgresTestDatabase.url(), schema = PostgresTestDatabase.freshSchema()
        let store = try PostgresMetadataStore(url: url, schema: schema)
        try await store.createRepository(repo("counter"))
        let other = try PostgresConnection(url: url, setup: ["SET search_path TO \(PostgresMetadataStore.quoted(schema))"])
        let attempts = Counter()
        let before = try await createdAt(store, "counter")
        try await store.write { db in
            let attempt = attempts.next()
            _ = try db.query("SELECT created_at FROM repositories WHERE name = ?", [.text("counter")]) { $0.integer(0) }
            if attempt == 1 {
                // Another session changes the row after this transaction's snapshot: updating it must fail with 40001.
                try other.run("UPDATE repositories SET created_at = created_at + 1 WHERE name = ?", [.text("counter")])
            }
            try db.run("UPDATE repositories SET created_at = created_at + 100 WHERE name = ?", [.text("counter")])
        }
        #expect(attempts.value == 2)
        #expect(store.retries == 1)
        #expect(try await createdAt(store, "counter") == before + 101)
    }

    @Test func deadlockVictimIsRetried() async throws {
        let url = try PostgresTestDatabase.url(), schema = PostgresTestDatabase.freshSchema()
        let store = try PostgresMetadataStore(url: url, schema: schema)
        for name in ["left", "right"] { try await store.createRepository(repo(name)) }
        let before = (try await createdAt(store, "left"), try await createdAt(store, "right"))
        // Two transactions lock the rows in opposite orders; both wait (first attempts only) until each
        // holds its first lock, so PostgreSQL must abort one with 40P01.
        let firstLocks = DispatchGroup()
        firstLocks.enter()
        firstLocks.enter()
        let attempts = Counter()
        @Sendable func bump(_ db: PostgresConnection, _ first: String, _ second: String) throws {
            let attempt = attempts.next()
            try db.run("UPDATE repositories SET created_at = created_at + 1 WHERE name = ?", [.text(first)])
            if attempt <= 2 {
                firstLocks.leave()
                firstLocks.wait()
            }
            try db.run("UPDATE repositories SET created_at = created_at + 1 WHERE name = ?", [.text(second)])
        }
        async let one: Void = store.write { db in try bump(db, "left", "right") }
        async let two: Void = store.write { db in try bump(db, "right", "left") }
        _ = try await (one, two)
        #expect(store.retries == 1)
        #expect(attempts.value == 3)
        #expect(try await createdAt(store, "left") == before.0 + 2)
        #expect(try await createdAt(store, "right") == before.1 + 2)
    }

    @Test func otherErrorsAreNotRetriedAndRollBack() async throws {
        let store = try PostgresMetadataStore(url: try PostgresTestDatabase.url(), schema: PostgresTestDatabase.freshSchema())
        let attempts = Counter()
        await #expect {
            try await store.write { db in
                _ = attempts.next()
                try db.run("INSERT INTO repositories (name, created_at) VALUES (?, ?)", [.text("x"), .integer(1)])
                try db.run("INSERT INTO repositories (name, created_at) VALUES (?, ?)", [.text("x"), .integer(1)])
            }
        } throws: { error in
            guard case MetadataError.sql(let message) = error else { return false }
            return message.contains("duplicate key")
        }
        #expect(attempts.value == 1)
        #expect(try await !store.repositoryExists(repo("x")))
    }

    @Test func terminatedSessionsAreReconnected() async throws {
        let name = "berth-reconnect-\(PostgresTestDatabase.freshSchema())"
        let url = try PostgresTestDatabase.url(adding: "application_name=\(name)")
        let store = try PostgresMetadataStore(url: url, schema: PostgresTestDatabase.freshSchema(), connections: 2)
        try await store.createRepository(repo("a"))
        #expect(try await store.repositoryExists(repo("a")))
        let admin = try PostgresConnection(url: try PostgresTestDatabase.url())
        let killed = try admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
                                     [.text(name)]) { $0.integer(0) }
        #expect(!killed.isEmpty)
        try await Task.sleep(for: .milliseconds(50))
        #expect(try await store.repositoryExists(repo("a")))
        try await store.createRepository(repo("b"))
        #expect(try await store.repositories(after: nil, limit: nil) == ["a", "b"])
    }

    private func createdAt(_ store: PostgresMetadataStore, _ name: String) async throws -> Int64 {
        try await store.read { db in
            try db.query("SELECT created_at FROM repositories WHERE name = ?", [.text(name)]) { $0.integer(0) }.first ?? -1
        }
    }
}

/// PostgreSQL helpers that need no server.
@Suite("PostgreSQL statement helpers")
struct PostgresHelperTests {
    @Test func placeholdersAreNumberedOutsideQuotes() {
        #expect(PostgresConnection.numberedPlaceholders("SELECT '?', \"a?\" FROM t WHERE a = ? AND b = ?::text[]")
                == "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b = $2::text[]")
    }

    @Test func onlySerializationFailuresAndDeadlocksAreRetryable() {
        #expect(PostgresError(sqlState: "40001", message: "", broken: false).isRetryable)
        #expect(PostgresError(sqlState: "40P01", message: "", broken: false).isRetryable)
        #expect(!PostgresError(sqlState: "23505", message: "", broken: false).isRetryable)
        #expect(PostgresError(sqlState: nil, message: "gone", broken: true).metadataError == .open("PostgreSQL connection lost: gone"))
        #expect(PostgresError(sqlState: "23505", message: "dup", broken: false).metadataError == .sql("dup"))
    }

    @Test func textArraysQuoteEveryElement() {
        #expect(PostgresMetadataStore.textArray(["sha256:ab", "a\"b", "c\\d"]) == "{\"sha256:ab\",\"a\\\"b\",\"c\\\\d\"}")
        #expect(PostgresMetadataStore.quoted("we\"ird") == "\"we\"\"ird\"")
    }
}

/// A thread-safe attempt counter for transaction bodies.
private final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func next() -> Int { count.add(1, ordering: .relaxed).newValue }
}
