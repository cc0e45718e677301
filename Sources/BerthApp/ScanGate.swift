import BerthAPI
import BerthCore
import BerthMetadata
import BerthPolicy

/// The project policies around scanning: Harbor's pull gate (`prevent_vul` + `severity`, minus the
/// effective CVE allowlist), scan on push (`auto_scan`) and SBOM generation on push (`auto_sbom_generation`).
struct ScanGate: ScanPullGate {
    let identity: any IdentityStore
    let scans: ScanService

    func checkPull(repository: RepositoryName, digest: Digest, mediaType: String) async throws {
        // Like Harbor, an image index is not gated itself (its children are, when pulled).
        // A set lookup, not substring search: this runs on every manifest GET and HEAD.
        if MediaType.indexTypes.contains(mediaType) { return }
        guard let project = try await project(of: repository),
              let gate = VulnerabilityGate(metadata: project.metadata) else { return }
        let state = try await scans.gateState(digest: digest.description)
        let allowlist = try await CVEAllowlistStore.effective(identity, project: project)
        if case .deny(let message) = gate.decide(state, allowlisted: allowlist.activeIDs(at: ScanService.now())) {
            throw RegistryError(.projectPolicyViolation, message)
        }
    }

    func pushed(repository: RepositoryName, digest: Digest, mediaType: String) async {
        do {
            guard let project = try await project(of: repository) else { return }
            let scan = project.metadata["auto_scan"]?.lowercased() == "true"
            let sbom = project.metadata["auto_sbom_generation"]?.lowercased() == "true"
            // With both, the SBOM follows the scan and reuses its inventory: the layers are read once.
            if scan {
                try await scans.requestScan(repository: repository.value, digest: digest.description, thenSBOM: sbom)
            } else if sbom {
                try await scans.sbom.requestSBOM(repository: repository.value, digest: digest.description)
            }
        } catch {
            Log.warning("scan or SBOM on push of \(repository.value)@\(digest) not queued: \(error)")
        }
    }

    private func project(of repository: RepositoryName) async throws -> ProjectRecord? {
        guard let name = repository.value.split(separator: "/").first else { return nil }
        return try await identity.project(named: String(name))
    }
}
