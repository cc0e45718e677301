import BerthMetadata
import Glibc
import Synchronization

/// A clock the test moves by hand (milliseconds).
final class ManualClock: Sendable {
    private let value: Atomic<Int64>

    init(_ start: Int64 = 1_700_000_000_000) { value = Atomic(start) }

    var now: Int64 { value.load(ordering: .relaxed) }
    func advance(by millis: Int64) { value.add(millis, ordering: .relaxed) }
    var jobClock: JobClock { JobClock { [self] in now } }
}

/// Opens job stores on one fresh database: each call of `open` is another "node" (its own connections).
struct JobStoreBackend: Sendable, CustomStringConvertible {
    let description: String
    let open: @Sendable (JobClock) throws -> any JobStore

    static func sqlite() throws -> JobStoreBackend {
        let path = try temporaryDirectory() + "/jobs.db"
        return JobStoreBackend(description: "sqlite") { clock in try SQLiteJobStore(path: path, clock: clock) }
    }

    static func postgres() throws -> JobStoreBackend {
        guard let url = postgresURL else { throw MetadataError.open("BERTH_TEST_POSTGRES_URL is not set") }
        let schema = freshSchema()
        return JobStoreBackend(description: "postgres") { clock in
            try PostgresJobStore(url: url, schema: schema, connections: 4, clock: clock)
        }
    }

    /// The backends to test: SQLite always, PostgreSQL when `BERTH_TEST_POSTGRES_URL` is set.
    static let kinds: [String] = {
        guard postgresURL != nil else {
            print("BerthJobsTests: BERTH_TEST_POSTGRES_URL is not set; SKIPPING the PostgreSQL job-store cases "
                  + "(start a cluster with scripts/postgres-test-cluster.sh start)")
            return ["sqlite"]
        }
        return ["sqlite", "postgres"]
    }()

    static func make(_ kind: String) throws -> JobStoreBackend { kind == "postgres" ? try postgres() : try sqlite() }

    static let postgresURL: String? = getenv("BERTH_TEST_POSTGRES_URL").map { String(cString: $0) }.flatMap {
        $0.isEmpty ? nil : $0
    }

    private static let counter = Atomic<Int>(0)

    private static func freshSchema() -> String {
        "jobs\(getpid())_\(counter.add(1, ordering: .relaxed).newValue)_\(UInt32.random(in: 0...UInt32.max))"
    }
}

/// Creates a fresh directory under /tmp.
func temporaryDirectory() throws -> String {
    var template = Array("/tmp/berth-jobs-XXXXXX".utf8CString)
    guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        throw MetadataError.open("mkdtemp failed")
    }
    return String(cString: result)
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
