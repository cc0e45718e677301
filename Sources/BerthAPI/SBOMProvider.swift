/// SBOM generation behind `POST …/artifacts/{ref}/scan` with `{"scan_type":"sbom"}`. A `ScanProvider` that
/// also conforms to this protocol handles SBOM requests; otherwise they are refused as unsupported.
public protocol SBOMProvider: Sendable {
    /// Queues generation of SPDX and CycloneDX documents attached to the artifact as referrers.
    func requestSBOM(repository: String, digest: String) async throws
    /// The SPDX JSON document of an artifact: its own when it is an SPDX SBOM artifact, else the newest
    /// SPDX referrer of the image; nil when there is none.
    func sbomDocument(repository: String, digest: String) async throws -> [UInt8]?
}
