@testable import BerthAPI
@testable import BerthApp
import BerthAuth
import BerthCore
import BerthJobs
import BerthMetadata
import BerthPolicy
import BerthRegistry
import BerthStorage
import Foundation
import Glibc
import HTTPServer
import Synchronization

/// A Harbor API on a fresh SQLite database, with callers chosen by the `X-As` header (`admin`, `bob`, or
/// anonymous), for the scan-all, scan-overview and project-allowlist tests.
struct ScanAllFixture {
    let metadata: SQLiteMetadataStore
    let identity: IdentityService
    let api: HarborAPI
    let admin: UserRecord
    let bob: UserRecord

    init() async throws {
        var template = Array("/tmp/berth-scanall-XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        metadata = try SQLiteMetadataStore(path: directory + "/berth.db")
        identity = IdentityService(store: metadata.identityStore())
        let admin = try await identity.createUser(username: "admin", password: "Harbor12345", isSysadmin: true)
        let bob = try await identity.createUser(username: "bob", password: "Harbor12345")
        self.admin = admin
        self.bob = bob
        let registry = Registry(blobs: InMemoryBlobStore(), metadata: metadata, configuration: RegistryConfiguration())
        let audit = HarborAuditLog(audit: metadata, listings: metadata, retentionDays: 1) { _ in "test" }
        api = HarborAPI(identity: identity, listings: metadata, audit: audit, registry: registry) { request in
            switch request.headers["X-As"] {
            case "admin": return .user(UserPrincipal(id: admin.id, username: "admin", isSysadmin: true, method: "password"))
            case "bob": return .user(UserPrincipal(id: bob.id, username: "bob", isSysadmin: false, method: "password"))
            default: return .anonymous
            }
        }
    }

    /// A request to `/api/v2.0` + `path` as `user` (nil: anonymous) with an optional JSON body.
    static func request(_ method: HTTPMethod, _ path: String, as user: String?, json: String? = nil) -> HTTPRequest {
        var headers = HTTPHeaders()
        if let user { headers["X-As"] = user }
        if json != nil { headers["Content-Type"] = "application/json" }
        return HTTPRequest(method: method, target: "/api/v2.0" + path, headers: headers,
                           body: json.map { .bytes(Array($0.utf8)) } ?? .empty)
    }

    /// The body of a response as a JSON object.
    static func object(_ response: HTTPResponse) -> [String: Any] {
        guard case .bytes(let bytes) = response.body,
              let value = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return [:] }
        return value
    }

    /// The body of a response as a JSON array.
    static func array(_ response: HTTPResponse) -> [[String: Any]] {
        guard case .bytes(let bytes) = response.body,
              let value = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [[String: Any]] else { return [] }
        return value
    }

    static func digest(_ seed: Int) -> Digest {
        let hex = String(seed, radix: 16)
        return try! Digest(algorithm: .sha256, hex: String(repeating: "0", count: 64 - hex.count) + hex)
    }

    /// Puts a manifest row (an image unless `config` says otherwise) into `repository`.
    func push(_ repository: String, seed: Int, config: String = "application/vnd.oci.image.config.v1+json") async throws {
        let name = RepositoryName(repository)!
        let blob = Self.digest(seed + 900_000)
        try await metadata.addBlob(blob, size: 10, to: name)
        let record = ManifestRecord(repository: name, digest: Self.digest(seed),
                                    mediaType: "application/vnd.oci.image.manifest.v1+json", artifactType: config,
                                    bytes: Array("{\"seed\":\(seed)}".utf8), blobs: [blob], children: [],
                                    createdAt: Int64(1_700_000_000 + seed))
        _ = try await metadata.putManifest(record, tag: "t\(seed)", requiredBlobs: [blob])
    }
}

/// A scanner that records the scans it was asked for and marks them Pending, as the real one does.
final class RecordingScanner: ScanProvider {
    let scans: any ScanStore
    private let requests = Mutex<[(repository: String, digest: String)]>([])

    init(scans: any ScanStore) { self.scans = scans }

    var requested: [(repository: String, digest: String)] { requests.withLock { $0 } }

    func requestScan(repository: String, digest: String) async throws {
        requests.withLock { $0.append((repository, digest)) }
        try await scans.saveScan(ScanRecord(digest: digest, status: "Pending", updatedAt: 1))
    }
    func scanStatus(digest: String) async throws -> (status: String, progress: Int, reportJSON: String?)? { nil }
    func gateState(digest: String) async throws -> ScanState { .notScanned }
    func databaseStatusJSON() async throws -> String { "{}" }
}
