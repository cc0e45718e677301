import BerthCore
import BerthMetadata
import Glibc

/// Builds a fresh, empty store for one test. A PostgreSQL backend adds its own factory to `all`.
struct MetadataStoreFactory: Sendable, CustomStringConvertible {
    let description: String
    let make: @Sendable () async throws -> any MetadataStore

    static let sqlite = MetadataStoreFactory(description: "sqlite") {
        try SQLiteMetadataStore(path: try temporaryDirectory() + "/metadata.db")
    }

    /// A fresh schema in the test cluster's database, so every test starts empty.
    static let postgres = MetadataStoreFactory(description: "postgres") {
        try PostgresMetadataStore(url: try PostgresTestDatabase.url(), schema: PostgresTestDatabase.freshSchema())
    }

    /// SQLite always; PostgreSQL when `BERTH_TEST_POSTGRES_URL` is set (see `scripts/postgres-test-cluster.sh`).
    static let all: [MetadataStoreFactory] = {
        guard PostgresTestDatabase.configuredURL != nil else {
            print("BerthMetadataTests: BERTH_TEST_POSTGRES_URL is not set; SKIPPING the PostgreSQL metadata-store cases "
                  + "(start a cluster with scripts/postgres-test-cluster.sh start)")
            return [.sqlite]
        }
        return [.sqlite, .postgres]
    }()
}

/// Creates a fresh directory under /tmp.
func temporaryDirectory() throws -> String {
    var template = Array("/tmp/berth-metadata-XXXXXX".utf8CString)
    guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        throw MetadataError.open("mkdtemp failed")
    }
    return String(cString: result)
}

/// A deterministic, distinct digest for test data.
func fakeDigest(_ seed: Int) -> Digest {
    let hex = String(seed, radix: 16)
    return try! Digest(algorithm: .sha256, hex: String(repeating: "0", count: 64 - hex.count) + hex)
}

func repo(_ name: String) -> RepositoryName { RepositoryName(name)! }

func manifestRecord(_ repository: String, _ seed: Int, subject: Digest? = nil, artifactType: String? = nil,
                    blobs: [Digest] = [], children: [Digest] = []) -> ManifestRecord {
    ManifestRecord(repository: repo(repository), digest: fakeDigest(seed), mediaType: "application/vnd.oci.image.manifest.v1+json",
                   artifactType: artifactType, subject: subject, annotationsJSON: subject == nil ? nil : "{\"k\":\"v\"}",
                   bytes: Array("{\"seed\": \(seed)}\u{0}\u{1}".utf8), blobs: blobs, children: children, createdAt: 1)
}
