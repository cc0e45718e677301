import BerthCore
import BerthCrypto
import BerthRegistry
import BerthScanner
import FoundationEssentials

/// Attaches an SBOM document to an image as an OCI artifact in the same repository: an image manifest
/// with `artifactType` the document's media type (`application/spdx+json` or
/// `application/vnd.cyclonedx+json`), the empty config, one layer holding the document and `subject` =
/// the image, so the referrers API and `oras discover` list it. A new SBOM replaces the earlier ones of
/// the same format that Berth made for that subject.
struct SBOMPublisher: Sendable {
    /// The document formats attached.
    enum Format: Sendable {
        case spdx, cycloneDX

        var mediaType: String { self == .spdx ? SPDXDocument.mediaType : CycloneDXDocument.mediaType }
        var fileName: String { self == .spdx ? "sbom.spdx.json" : "sbom.cdx.json" }
        var description: String { self == .spdx ? "SPDX JSON SBOM" : "CycloneDX JSON SBOM" }
    }

    /// The annotation (Harbor's key) that marks SBOMs Berth generated and may replace.
    static let creatorKey = "created-by"
    static let creator = "Berth"
    static let emptyConfig: [UInt8] = Array("{}".utf8)
    static let emptyMediaType = "application/vnd.oci.empty.v1+json"

    let registry: Registry

    /// Stores the document and its manifest, then deletes Berth's earlier SBOMs of that format for the
    /// subject. Returns the new manifest's digest.
    @discardableResult
    func publish(_ repository: RepositoryName, subject: StoredManifest, format: Format, document: [UInt8],
                 created: String) async throws -> Digest {
        let config = try await upload(repository, Self.emptyConfig)
        let layer = try await upload(repository, document)
        let bytes = Array(manifestJSON(subject: subject, format: format, config: config, layer: layer,
                                       layerSize: document.count, created: created).utf8)
        let digest = Hashing.digest(of: bytes)
        _ = try await registry.putManifest(repository, reference: .digest(digest), contentType: MediaType.ociManifest,
                                           bytes: bytes)
        for old in try await previous(repository, subject: subject.digest, format: format) where old != digest {
            try? await registry.deleteManifest(repository, reference: .digest(old))
        }
        return digest
    }

    func manifestJSON(subject: StoredManifest, format: Format, config: Digest, layer: Digest, layerSize: Int,
                      created: String) -> String {
        let q = JSONText.quote
        return "{\"schemaVersion\":2,\"mediaType\":\(q(MediaType.ociManifest)),\"artifactType\":\(q(format.mediaType)),"
            + "\"config\":{\"mediaType\":\(q(Self.emptyMediaType)),\"digest\":\(q(config.description)),"
            + "\"size\":\(Self.emptyConfig.count),\"data\":\"e30=\"},"
            + "\"layers\":[{\"mediaType\":\(q(format.mediaType)),\"digest\":\(q(layer.description)),\"size\":\(layerSize),"
            + "\"annotations\":{\"org.opencontainers.image.title\":\(q(format.fileName))}}],"
            + "\"subject\":{\"mediaType\":\(q(subject.mediaType)),\"digest\":\(q(subject.digest.description)),"
            + "\"size\":\(subject.bytes.count)},"
            + "\"annotations\":{\(q(Self.creatorKey)):\(q(Self.creator)),"
            + "\"org.opencontainers.artifact.description\":\(q(format.description)),"
            + "\"org.opencontainers.image.created\":\(q(created))}}"
    }

    private struct ReferrerIndex: Decodable {
        struct Entry: Decodable {
            var digest: String
            var annotations: [String: String]?
        }
        var manifests: [Entry]
    }

    private func referrers(_ repository: RepositoryName, subject: Digest, format: Format) async throws -> [ReferrerIndex.Entry] {
        let bytes = try await registry.referrers(repository, subject: subject, artifactType: format.mediaType)
        return try JSONDecoder().decode(ReferrerIndex.self, from: Data(bytes)).manifests
    }

    /// Berth's SBOM manifests of `format` that refer to `subject`.
    func previous(_ repository: RepositoryName, subject: Digest, format: Format) async throws -> [Digest] {
        try await referrers(repository, subject: subject, format: format)
            .filter { $0.annotations?[Self.creatorKey] == Self.creator }.compactMap { Digest.parse($0.digest) }
    }

    /// The newest referrer of `format` (by `org.opencontainers.image.created`, any creator).
    func newest(_ repository: RepositoryName, subject: Digest, format: Format) async throws -> Digest? {
        let entries = try await referrers(repository, subject: subject, format: format)
        let created = { (entry: ReferrerIndex.Entry) in entry.annotations?["org.opencontainers.image.created"] ?? "" }
        let best = entries.max { (created($0), $0.digest) < (created($1), $1.digest) }
        return best.flatMap { Digest.parse($0.digest) }
    }

    /// Links the blob into the repository, uploading it unless some repository already has it.
    private func upload(_ repository: RepositoryName, _ bytes: [UInt8]) async throws -> Digest {
        let digest = Hashing.digest(of: bytes)
        if try await registry.mount(digest, into: repository, from: nil) { return digest }
        let body = ByteStream { continuation in
            continuation.yield(bytes)
            continuation.finish()
        }
        _ = try await registry.monolithicUpload(repository, digest: digest, body: body)
        return digest
    }
}
