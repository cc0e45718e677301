import BerthCore
/// The parts of an image manifest or index the scanner reads.
struct ScanManifest: Decodable, Sendable {
    struct Descriptor: Decodable, Sendable {
        var digest: String
        var mediaType: String?
        var size: Int64?
    }
    var mediaType: String?
    var artifactType: String?
    var config: Descriptor?
    var layers: [Descriptor]?
    var manifests: [Descriptor]?
    var subject: Descriptor?

    /// Whether this is a container image (or an index of them) rather than an OCI artifact such as an
    /// SBOM or a signature: no subject, no artifactType, and an image config when it has a config.
    var isImage: Bool {
        guard subject == nil, artifactType == nil else { return false }
        guard let config = config?.mediaType else { return true }
        return MediaType.imageConfigTypes.contains(config)
    }
}
