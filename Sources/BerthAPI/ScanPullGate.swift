import BerthCore

/// Hooks on manifest traffic for scanning: the pull gate before a manifest GET/HEAD is served, and scan on
/// push after a manifest PUT. Blob reads are not gated, and the scanner reads through the registry facade,
/// so its own reads never pass here.
public protocol ScanPullGate: Sendable {
    /// Throws a `RegistryError` with code PROJECTPOLICYVIOLATION (412) when the pull must be refused.
    func checkPull(repository: RepositoryName, digest: Digest, mediaType: String) async throws
    /// Called after a manifest was stored (e.g. to queue a scan when the project has auto_scan).
    func pushed(repository: RepositoryName, digest: Digest, mediaType: String) async
}

extension RegistryError.Code {
    /// Harbor's refusal of a pull by project policy.
    public static let projectPolicyViolation = RegistryError.Code("PROJECTPOLICYVIOLATION", status: 412)
}
