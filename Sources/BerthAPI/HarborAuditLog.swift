import BerthCore
import BerthMetadata
import Glibc
import HTTPServer
import Synchronization

/// A registry operation worth auditing, reported by `RegistryRoutes`.
public struct RegistryAuditEvent: Sendable, Equatable {
    /// `create` (push), `pull` or `delete`.
    public var operation: String
    public var repository: RepositoryName
    /// The tag or digest the client named.
    public var reference: String
    /// The manifest's digest, when known.
    public var digest: String?

    public init(operation: String, repository: RepositoryName, reference: String, digest: String?) {
        self.operation = operation
        self.repository = repository
        self.reference = reference
        self.digest = digest
    }
}

/// Where `RegistryRoutes` reports pushes, pulls and deletes. Must return at once (no I/O on the caller).
public protocol AuditSink: Sendable {
    func registryEvent(_ event: RegistryAuditEvent, request: HTTPRequest)
}

/// The audit log writer: entries are queued in memory and written in batches (so a pull costs a queue
/// append, not a database write), pull times are updated with them, and old entries are purged on a
/// schedule. Call `run()` in a task for the life of the server.
public final class HarborAuditLog: AuditSink, Sendable {
    /// Names the caller of a registry request (for the `username` column).
    public typealias Identify = @Sendable (HTTPRequest) async -> String

    private enum Pending: Sendable {
        case record(AuditRecord)
        case registry(RegistryAuditEvent, HTTPRequest, Int64)
    }

    /// Where entries are written and read.
    public let store: any AuditStore
    private let listings: any ListingStore
    private let identify: Identify
    private let retentionDays: Int
    private let pending = Mutex<[Pending]>([])
    /// Most entries kept in memory; beyond it new entries are dropped (and counted in the log).
    private let capacity = 100_000

    /// - Parameter retentionDays: entries older than this are purged (0 keeps everything).
    public init(audit: any AuditStore, listings: any ListingStore, retentionDays: Int, identify: @escaping Identify) {
        self.store = audit
        self.listings = listings
        self.retentionDays = retentionDays
        self.identify = identify
    }

    public func registryEvent(_ event: RegistryAuditEvent, request: HTTPRequest) {
        enqueue(.registry(event, request, Self.now()))
    }

    /// Queues an entry made by the Harbor API or the login routes.
    public func record(project: String?, username: String, resource: String, resourceType: String,
                       operation: String, address: String) {
        enqueue(.record(AuditRecord(project: project, username: username, resource: resource, resourceType: resourceType,
                                    operation: operation, remoteAddress: address, time: Self.now())))
    }

    private func enqueue(_ item: Pending) {
        let dropped = pending.withLock { queue -> Bool in
            guard queue.count < capacity else { return true }
            queue.append(item)
            return false
        }
        if dropped { Log.warning("audit log queue full; entry dropped") }
    }

    /// Writes everything queued so far.
    public func flush() async {
        let items = pending.withLock { queue -> [Pending] in
            let taken = queue
            queue.removeAll(keepingCapacity: true)
            return taken
        }
        guard !items.isEmpty else { return }
        var records: [AuditRecord] = []
        var pulls: [String: (repository: String, digest: String, time: Int64)] = [:]
        for item in items {
            switch item {
            case .record(let record):
                records.append(record)
            case .registry(let event, let request, let time):
                let repository = event.repository.value
                let separator = event.reference.contains(":") ? "@" : ":"
                records.append(AuditRecord(project: Self.project(of: repository), username: await identify(request),
                                           resource: repository + separator + event.reference,
                                           resourceType: "artifact", operation: event.operation,
                                           remoteAddress: Self.host(of: request.remoteAddress), time: time))
                if event.operation == "pull", let digest = event.digest {
                    pulls[repository + "@" + digest] = (repository, digest, time)
                }
            }
        }
        do {
            try await store.appendAudit(records)
            for pull in pulls.values { try await listings.recordPull(repository: pull.repository, digest: pull.digest, at: pull.time) }
        } catch {
            Log.error("audit log write failed (\(records.count) entries lost): \(error)")
        }
    }

    /// Flushes every second and purges expired entries hourly, until cancelled (then flushes once more).
    public func run() async {
        var ticks = 0
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 1_000_000_000)
            await flush()
            if ticks % 3600 == 0 { await purge() }
            ticks += 1
        }
        await flush()
    }

    /// Deletes entries older than the retention period; returns how many.
    @discardableResult
    public func purge() async -> Int {
        guard retentionDays > 0 else { return 0 }
        do {
            return try await store.purgeAudit(before: Self.now() - Int64(retentionDays) * 86_400)
        } catch {
            Log.error("audit log purge failed: \(error)")
            return 0
        }
    }

    /// The project (first path segment) of a repository name.
    static func project(of repository: String) -> String {
        String(repository.prefix { $0 != "/" })
    }

    /// The address without its port ("1.2.3.4:5" -> "1.2.3.4", "[::1]:5" -> "::1").
    static func host(of address: String) -> String {
        if address.hasPrefix("["), let end = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<end])
        }
        guard let colon = address.lastIndex(of: ":"), address.firstIndex(of: ":") == colon else { return address }
        return String(address[..<colon])
    }

    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }
}
