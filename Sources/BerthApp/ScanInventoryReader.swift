import BerthCore
import BerthRegistry
import BerthScanner
import FoundationEssentials
import Glibc

/// Reads an image's package inventory through the registry facade (so the pull gate never applies to the
/// scanner): the image itself, or the union of the children of an index, each layer read once.
struct ScanInventoryReader: Sendable {
    let registry: Registry

    /// The inventory of `manifest`; `progress(done, total)` is called after each image.
    func inventory(_ repository: RepositoryName, _ manifest: StoredManifest,
                   progress: @Sendable (Int, Int) async throws -> Void) async throws -> ImageInventory {
        let images = try await imageManifests(repository, manifest)
        var packages: [InventoryPackage] = []
        var os: OperatingSystem?
        var layerDigests: [String] = []
        var warnings: [String] = []
        for (index, image) in images.enumerated() {
            let inventory = try await inventory(repository, image)
            packages += inventory.packages
            os = os ?? inventory.os
            layerDigests += inventory.layerDigests
            warnings += inventory.warnings
            try await progress(index + 1, images.count)
        }
        return ImageInventory(os: os, packages: packages, layerDigests: layerDigests, warnings: warnings)
    }

    /// The image manifests to read: the artifact itself, or each child of an index.
    func imageManifests(_ repository: RepositoryName, _ manifest: StoredManifest) async throws -> [ScanManifest] {
        let parsed = try JSONDecoder().decode(ScanManifest.self, from: Data(manifest.bytes))
        guard let children = parsed.manifests, !children.isEmpty else { return [parsed] }
        var images: [ScanManifest] = []
        for child in children {
            guard let digest = Digest.parse(child.digest) else { continue }
            let stored = try await registry.manifest(repository, reference: .digest(digest))
            let image = try JSONDecoder().decode(ScanManifest.self, from: Data(stored.bytes))
            if image.layers != nil, image.isImage { images.append(image) }
        }
        return images
    }

    /// The architecture in an image's config (`amd64`), nil for an index or an unreadable config.
    func architecture(_ repository: RepositoryName, _ manifest: StoredManifest) async -> String? {
        struct Config: Decodable { var architecture: String? }
        guard let parsed = try? JSONDecoder().decode(ScanManifest.self, from: Data(manifest.bytes)),
              let digest = parsed.config.flatMap({ Digest.parse($0.digest) }),
              let bytes = try? await smallBlob(repository, digest, limit: 1 << 20) else { return nil }
        return (try? JSONDecoder().decode(Config.self, from: Data(bytes)))?.architecture
    }

    /// A small blob's bytes (a config), refused above `limit`.
    func smallBlob(_ repository: RepositoryName, _ digest: Digest, limit: Int64) async throws -> [UInt8] {
        let (size, content) = try await registry.readBlob(repository, digest, range: nil)
        switch content {
        case .file(let region):
            defer { region.close() }
            guard size <= limit else { throw RegistryError(.sizeInvalid, "blob \(digest) is too large to read") }
            var bytes = [UInt8](repeating: 0, count: Int(region.length))
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeMutableBytes { buffer in
                    pread(region.fd, buffer.baseAddress! + done, buffer.count - done, off_t(region.offset) + off_t(done))
                }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw RegistryError(.blobUnknown, "short read of blob \(digest)") }
                done += n
            }
            return bytes
        case .stream(let stream, _):
            var bytes: [UInt8] = []
            for try await chunk in stream {
                bytes += chunk
                if bytes.count > limit { throw RegistryError(.sizeInvalid, "blob \(digest) is too large to read") }
            }
            return bytes
        }
    }

    /// Reads one image's layers once, bottom first.
    private func inventory(_ repository: RepositoryName, _ image: ScanManifest) async throws -> ImageInventory {
        var inputs: [LayerInput] = []
        defer {
            for input in inputs { if case .file(let region) = input.content { region.close() } }
        }
        for layer in image.layers ?? [] {
            guard let digest = Digest.parse(layer.digest) else { continue }
            let (_, content) = try await registry.readBlob(repository, digest, range: nil)
            inputs.append(LayerInput(digest: layer.digest, content: content))
        }
        // Blocking reads and decompression stay off the cooperative pool, which serves requests.
        return try await ImageScanner().scan(inputs, on: BlockingPool.shared)
    }
}
