import BerthMetadata
import Glibc
import Synchronization

/// The PostgreSQL cluster the tests use, from `BERTH_TEST_POSTGRES_URL`.
enum PostgresTestDatabase {
    static let configuredURL: String? = getenv("BERTH_TEST_POSTGRES_URL").map { String(cString: $0) }.flatMap {
        $0.isEmpty ? nil : $0
    }

    private static let counter = Atomic<Int>(0)

    /// The URL, or a failure when the cluster is not configured.
    static func url() throws -> String {
        guard let configuredURL else { throw MetadataError.open("BERTH_TEST_POSTGRES_URL is not set") }
        return configuredURL
    }

    /// The URL with extra libpq parameters appended.
    static func url(adding parameters: String) throws -> String {
        let base = try url()
        return base + (base.contains("?") ? "&" : "?") + parameters
    }

    /// A schema name no other test (or earlier run against the same cluster) uses.
    static func freshSchema() -> String {
        let number = counter.add(1, ordering: .relaxed).newValue
        return "t\(getpid())_\(number)_\(UInt32.random(in: 0...UInt32.max))"
    }
}
