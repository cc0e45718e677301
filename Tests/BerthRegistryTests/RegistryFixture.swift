import BerthCore
import BerthCrypto
import BerthMetadata
import BerthRegistry
import BerthStorage
import Glibc

/// Which `BlobStore` a test runs on.
enum BlobBackend: String, CaseIterable, Sendable {
    case filesystem, memory
}

/// A registry over a blob store and a fresh SQLite database in a temporary directory, plus helpers.
struct RegistryFixture {
    let registry: Registry
    let blobs: any BlobStore
    let backend: BlobBackend
    let directory: String
    let configuration: RegistryConfiguration

    init(_ backend: BlobBackend = .filesystem, configuration: RegistryConfiguration = RegistryConfiguration()) async throws {
        var template = Array("/tmp/berth-registry-XXXXXX".utf8CString)
        directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        self.backend = backend
        self.configuration = configuration
        blobs = try Self.blobStore(backend, directory)
        registry = Registry(blobs: blobs, metadata: try SQLiteMetadataStore(path: directory + "/metadata.db"),
                            configuration: configuration)
    }

    private static func blobStore(_ backend: BlobBackend, _ directory: String) throws -> any BlobStore {
        switch backend {
        case .filesystem: return try FileSystemBlobStore(root: directory + "/blobs")
        case .memory: return InMemoryBlobStore()
        }
    }

    /// A second registry on the same storage and database, as after a restart (a new filesystem store
    /// instance on the same root; the in-memory store is shared, as it cannot outlive the process).
    func restarted() async throws -> Registry {
        let store = backend == .memory ? blobs : try Self.blobStore(backend, directory)
        return Registry(blobs: store, metadata: try SQLiteMetadataStore(path: directory + "/metadata.db"),
                        configuration: configuration)
    }

    /// Every upload session the blob store holds.
    func storedUploads() async throws -> [String] {
        try await blobs.staleUploads(olderThanSeconds: -3_600)
    }

    /// Pushes a blob monolithically and returns its digest.
    @discardableResult
    func pushBlob(_ repository: String, _ text: String) async throws -> Digest {
        let bytes = Array(text.utf8)
        let digest = Hashing.digest(of: bytes, algorithm: .sha256)
        _ = try await registry.monolithicUpload(repo(repository), digest: digest, body: stream(bytes))
        return digest
    }

    /// Pushes a config and one layer plus an image manifest referring to them, tagged `tag`.
    @discardableResult
    func pushImage(_ repository: String, tag: String?, seed: String, subject: Digest? = nil,
                   artifactType: String? = nil) async throws -> (digest: Digest, bytes: [UInt8]) {
        let config = try await pushBlob(repository, "{\"config\":\"\(seed)\"}")
        let layer = try await pushBlob(repository, "layer \(seed)")
        let bytes = imageManifest(config: config, layers: [layer], subject: subject, artifactType: artifactType)
        let reference: Reference = tag.map { .tag($0) } ?? .digest(Hashing.digest(of: bytes, algorithm: .sha256))
        let result = try await registry.putManifest(repo(repository), reference: reference,
                                                    contentType: MediaType.ociManifest, bytes: bytes)
        return (result.digest, bytes)
    }
}

func repo(_ name: String) -> RepositoryName { RepositoryName(name)! }

func stream(_ bytes: [UInt8]) -> ByteStream {
    ByteStream { continuation in
        continuation.yield(bytes)
        continuation.finish()
    }
}

func collect(_ content: BlobContent) async throws -> [UInt8] {
    switch content {
    case .stream(let stream, _):
        var bytes: [UInt8] = []
        for try await chunk in stream { bytes += chunk }
        return bytes
    case .file(let region):
        defer { region.close() }
        var bytes = [UInt8](repeating: 0, count: Int(region.length))
        let count = bytes.withUnsafeMutableBytes { pread(region.fd, $0.baseAddress, Int(region.length), off_t(region.offset)) }
        return Array(bytes.prefix(max(0, count)))
    }
}

func descriptorJSON(_ mediaType: String, _ digest: Digest, size: Int = 10) -> String {
    "{\"mediaType\":\"\(mediaType)\",\"digest\":\"\(digest)\",\"size\":\(size)}"
}

func imageManifest(config: Digest, layers: [Digest], subject: Digest? = nil, artifactType: String? = nil,
                   layerType: String = "application/vnd.oci.image.layer.v1.tar+gzip") -> [UInt8] {
    var json = "{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"\(MediaType.ociManifest)\",\n"
    if let artifactType { json += "  \"artifactType\": \"\(artifactType)\",\n" }
    json += "  \"config\": \(descriptorJSON(MediaType.ociConfig, config)),\n"
    json += "  \"layers\": [\(layers.map { descriptorJSON(layerType, $0) }.joined(separator: ","))]"
    if let subject { json += ",\n  \"subject\": \(descriptorJSON(MediaType.ociManifest, subject))" }
    json += ",\n  \"annotations\": {\"org.opencontainers.image.url\": \"https:\\/\\/example.test/x\"}\n}"
    return Array(json.utf8)
}

func indexManifest(children: [Digest]) -> [UInt8] {
    let entries = children.map { descriptorJSON(MediaType.ociManifest, $0) }.joined(separator: ",")
    return Array("{\"schemaVersion\":2,\"mediaType\":\"\(MediaType.ociIndex)\",\"manifests\":[\(entries)]}".utf8)
}

/// Runs `body` and returns the RegistryError it throws, or nil.
func registryError(_ body: () async throws -> Void) async -> RegistryError? {
    do {
        try await body()
        return nil
    } catch let error as RegistryError {
        return error
    } catch {
        return RegistryError(.unknown, "unexpected \(error)")
    }
}
