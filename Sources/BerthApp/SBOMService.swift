import BerthAPI
import BerthCore
import BerthJobs
import BerthMetadata
import BerthRegistry
import BerthScanner
import FoundationEssentials

/// Generates SBOMs as durable jobs: SPDX 2.3 and CycloneDX 1.5 documents of an image's inventory (the
/// stored one from its vulnerability scan, or read from the layers when there is none), attached to the
/// image as two OCI referrers (see `SBOMPublisher`).
final class SBOMService: Sendable {
    static let jobType = "scan.sbom"

    let registry: Registry
    let scans: any ScanStore
    let runner: JobRunner
    let reader: ScanInventoryReader
    let publisher: SBOMPublisher

    init(registry: Registry, scans: any ScanStore, runner: JobRunner, reader: ScanInventoryReader) {
        self.registry = registry
        self.scans = scans
        self.runner = runner
        self.reader = reader
        publisher = SBOMPublisher(registry: registry)
        runner.register(Self.jobType) { [self] job, context in try await run(job, context) }
    }

    private struct Payload: Codable {
        var repository: String
        var digest: String
    }

    /// Queues SBOM generation for an artifact.
    func requestSBOM(repository: String, digest: String) async throws {
        let payload = String(decoding: try JSONEncoder().encode(Payload(repository: repository, digest: digest)), as: UTF8.self)
        try await runner.enqueue(JobRequest(type: Self.jobType, payload: payload, maxAttempts: 2, timeoutMillis: 1_800_000))
    }

    private func run(_ job: Job, _ context: JobContext) async throws {
        let payload = try JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8))
        guard let repository = RepositoryName(payload.repository), let digest = Digest.parse(payload.digest) else {
            throw RegistryError(.nameInvalid, "bad SBOM payload")
        }
        let manifest = try await registry.manifest(repository, reference: .digest(digest))
        let parsed = try JSONDecoder().decode(ScanManifest.self, from: Data(manifest.bytes))
        guard parsed.isImage else {
            Log.info("no SBOM for \(payload.repository)@\(payload.digest): not an image")
            return
        }
        var inventory = try await storedInventory(payload.digest)
        if inventory == nil {
            inventory = try await reader.inventory(repository, manifest) { done, total in
                try await context.report(progress: 10 + 70 * done / max(1, total), message: "read \(done) of \(total) images")
            }
        }
        guard let inventory else { return }
        let subject = SBOMSubject(repository: payload.repository, digest: payload.digest,
                                  architecture: await reader.architecture(repository, manifest),
                                  created: ListingTime.format(ScanService.now()), toolVersion: BerthCommand.releaseVersion)
        let spdx = try SPDXDocument(inventory: inventory, subject: subject).jsonBytes()
        let cyclone = try CycloneDXDocument(inventory: inventory, subject: subject).jsonBytes()
        try await context.report(progress: 90, message: "attaching the SBOM")
        try await publisher.publish(repository, subject: manifest, format: .spdx, document: spdx, created: subject.created)
        try await publisher.publish(repository, subject: manifest, format: .cycloneDX, document: cyclone, created: subject.created)
        Log.info("SBOM of \(payload.repository)@\(payload.digest): \(inventory.packages.count) packages")
    }

    /// The inventory a successful vulnerability scan stored, if any.
    private func storedInventory(_ digest: String) async throws -> ImageInventory? {
        guard let record = try await scans.scan(digest: digest), let json = record.inventoryJSON else { return nil }
        return try? JSONDecoder().decode(ImageInventory.self, from: Data(json.utf8))
    }
}

extension SBOMService {
    /// The SPDX document of an SPDX artifact itself, or of the newest SPDX referrer of an image.
    func document(repository name: String, digest text: String) async throws -> [UInt8]? {
        guard let repository = RepositoryName(name), let digest = Digest.parse(text) else { return nil }
        let manifest = try await registry.manifest(repository, reference: .digest(digest))
        var parsed = try JSONDecoder().decode(ScanManifest.self, from: Data(manifest.bytes))
        if parsed.artifactType != SPDXDocument.mediaType {
            guard let newest = try await publisher.newest(repository, subject: digest, format: .spdx) else { return nil }
            let stored = try await registry.manifest(repository, reference: .digest(newest))
            parsed = try JSONDecoder().decode(ScanManifest.self, from: Data(stored.bytes))
        }
        guard let layer = parsed.layers?.first(where: { $0.mediaType == SPDXDocument.mediaType }),
              let layerDigest = Digest.parse(layer.digest) else { return nil }
        return try await reader.smallBlob(repository, layerDigest, limit: 256 << 20)
    }
}
