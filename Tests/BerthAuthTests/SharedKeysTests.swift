import BerthAuth
import BerthCrypto
import BerthMetadata
import Glibc
import Testing

/// Opens several identity stores on one fresh database, as the nodes of a cluster do.
struct SharedDatabase: Sendable, CustomStringConvertible {
    let description: String
    let open: @Sendable (_ count: Int) throws -> [any IdentityStore]

    static let sqlite = SharedDatabase(description: "sqlite") { count in
        let path = try sharedKeysDirectory() + "/berth.db"
        return try (0..<count).map { _ in try SQLiteMetadataStore(path: path).identityStore() }
    }

    static let postgres = SharedDatabase(description: "postgres") { count in
        guard let url = postgresURL else { throw MetadataError.open("BERTH_TEST_POSTGRES_URL is not set") }
        let schema = "keys\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        return try (0..<count).map { _ in
            try PostgresMetadataStore(url: url, schema: schema, connections: 2).identityStore()
        }
    }

    static let postgresURL: String? = getenv("BERTH_TEST_POSTGRES_URL").map { String(cString: $0) }.flatMap {
        $0.isEmpty ? nil : $0
    }

    /// SQLite always; PostgreSQL when `BERTH_TEST_POSTGRES_URL` is set.
    static let all: [SharedDatabase] = {
        guard postgresURL != nil else {
            print("SharedKeysTests: BERTH_TEST_POSTGRES_URL is not set; SKIPPING the PostgreSQL cases "
                  + "(start a cluster with scripts/postgres-test-cluster.sh start)")
            return [.sqlite]
        }
        return [.sqlite, .postgres]
    }()
}

func sharedKeysDirectory() throws -> String {
    var template = Array("/tmp/berth-keys-XXXXXX".utf8CString)
    guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        throw MetadataError.open("mkdtemp failed")
    }
    return String(cString: result)
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { throw MetadataError.open("cannot create \(path)") }
    defer { close(fd) }
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw MetadataError.open("short write to \(path)") }
}

@Suite("Cluster-wide keys in the identity database")
struct SharedKeysTests {
    @Test("nodes racing on an empty database converge on one token key and one server key",
          arguments: SharedDatabase.all)
    func raceConverges(database: SharedDatabase) async throws {
        let stores = try database.open(6)
        let results = try await withThrowingTaskGroup(of: ([UInt8], [UInt8]).self) { group in
            for store in stores {
                group.addTask {
                    let keys = try SharedKeys(store: store)
                    async let token = keys.tokenSigningKey(legacyFile: nil)
                    async let server = keys.serverKey(legacyFile: nil)
                    return (try await token.privateKeyDER, try await server)
                }
            }
            var collected: [([UInt8], [UInt8])] = []
            for try await result in group { collected.append(result) }
            return collected
        }
        #expect(results.count == stores.count)
        #expect(Set(results.map(\.0)).count == 1)
        #expect(Set(results.map(\.1)).count == 1)
        #expect(results[0].1.count == SharedKeys.serverKeyLength)
        // A node starting later reads the same keys, and a token signed by one verifies with the other's key.
        let later = try SharedKeys(store: stores[0])
        let token = try await later.tokenSigningKey(legacyFile: nil)
        #expect(token.privateKeyDER == results[0].0)
        #expect(try await later.serverKey(legacyFile: nil) == results[0].1)
        let other = try await SharedKeys(store: stores[5]).tokenSigningKey(legacyFile: nil)
        let message = Array("header.payload".utf8)
        #expect(other.verify(try token.sign(message), for: message))
    }

    @Test("an old key file is imported once; later files that differ do not replace the database key",
          arguments: SharedDatabase.all)
    func importsLegacyFiles(database: SharedDatabase) async throws {
        let stores = try database.open(2)
        let directory = try sharedKeysDirectory()
        let fileKey = try ECDSAKey.generate()
        try writeFile(directory + "/token-signing.key", fileKey.privateKeyDER)
        let serverBytes = SecureRandom.bytes(40)
        try writeFile(directory + "/oidc-server.key", serverBytes)

        let first = try SharedKeys(store: stores[0])
        #expect(try await first.tokenSigningKey(legacyFile: directory + "/token-signing.key").privateKeyDER
                == fileKey.privateKeyDER)
        #expect(try await first.serverKey(legacyFile: directory + "/oidc-server.key") == serverBytes)

        let otherDirectory = try sharedKeysDirectory()
        try writeFile(otherDirectory + "/token-signing.key", try ECDSAKey.generate().privateKeyDER)
        try writeFile(otherDirectory + "/oidc-server.key", SecureRandom.bytes(32))
        let second = try SharedKeys(store: stores[1])
        #expect(try await second.tokenSigningKey(legacyFile: otherDirectory + "/token-signing.key").privateKeyDER
                == fileKey.privateKeyDER)
        #expect(try await second.serverKey(legacyFile: otherDirectory + "/oidc-server.key") == serverBytes)
        #expect(try await second.serverKey(legacyFile: otherDirectory + "/missing.key") == serverBytes)
    }

    @Test("a server key file shorter than 32 bytes is refused")
    func shortServerKeyRefused() async throws {
        let store = try SharedDatabase.sqlite.open(1)[0]
        let directory = try sharedKeysDirectory()
        try writeFile(directory + "/oidc-server.key", SecureRandom.bytes(31))
        await #expect(throws: AuthError.self) {
            try await SharedKeys(store: store).serverKey(legacyFile: directory + "/oidc-server.key")
        }
        #expect(try await store.setting(SharedKeys.serverKeySetting) == nil)
    }

    @Test("with a secret key the values are stored sealed; other secrets cannot open them")
    func sealedStorage() async throws {
        let store = try SharedDatabase.sqlite.open(1)[0]
        let secret = Array("correct horse battery staple".utf8)
        let keys = try SharedKeys(store: store, sealingSecret: secret)
        let server = try await keys.serverKey(legacyFile: nil)
        let token = try await keys.tokenSigningKey(legacyFile: nil)
        let stored = try #require(try await store.setting(SharedKeys.serverKeySetting))
        #expect(stored.hasPrefix("sealed:"))
        #expect(!stored.contains(JWKBase64URL.encode(server)))
        let storedToken = try #require(try await store.setting(SharedKeys.tokenSigningKeySetting))
        #expect(!storedToken.contains(JWKBase64URL.encode(token.privateKeyDER)))

        #expect(try await SharedKeys(store: store, sealingSecret: secret).serverKey(legacyFile: nil) == server)
        await #expect(throws: AuthError.self) { try await SharedKeys(store: store).serverKey(legacyFile: nil) }
        await #expect(throws: AuthError.self) {
            try await SharedKeys(store: store, sealingSecret: Array("another secret of enough length".utf8))
                .tokenSigningKey(legacyFile: nil)
        }
        #expect(throws: AuthError.self) { try SharedKeys(store: store, sealingSecret: Array("short".utf8)) }
    }

    @Test("keys stored in the clear are sealed once a secret key is configured, keeping their value")
    func resealsPlainValues() async throws {
        let store = try SharedDatabase.sqlite.open(1)[0]
        let plain = try await SharedKeys(store: store).serverKey(legacyFile: nil)
        #expect(try await store.setting(SharedKeys.serverKeySetting)?.hasPrefix("plain:") == true)
        let secret = Array("a cluster secret key, 32 bytes..".utf8)
        #expect(try await SharedKeys(store: store, sealingSecret: secret).serverKey(legacyFile: nil) == plain)
        #expect(try await store.setting(SharedKeys.serverKeySetting)?.hasPrefix("sealed:") == true)
        #expect(try await SharedKeys(store: store, sealingSecret: secret).serverKey(legacyFile: nil) == plain)
    }

    @Test("insert-if-absent keeps the first value", arguments: SharedDatabase.all)
    func insertIfAbsent(database: SharedDatabase) async throws {
        let store = try database.open(1)[0]
        #expect(try await store.insertSettingIfAbsent("x", "first") == "first")
        #expect(try await store.insertSettingIfAbsent("x", "second") == "first")
        #expect(try await store.setting("x") == "first")
    }
}
