/// The parts of an image manifest or index the scanner reads.
struct ScanManifest: Decodable, Sendable {
    struct Descriptor: Decodable, Sendable {
        var digest: String
        var mediaType: String?
    }
    var mediaType: String?
    var layers: [Descriptor]?
    var manifests: [Descriptor]?
}
