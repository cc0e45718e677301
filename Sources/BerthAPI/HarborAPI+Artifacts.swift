import BerthAuth
import BerthCore
import BerthMetadata
import FoundationEssentials
import HTTPServer

extension HarborAPI {
    func registerArtifacts(on router: inout HTTPRouter) {
        let artifacts = "/projects/{project}/repositories/{repository}/artifacts"
        route(&router, .get, artifacts) { call in
            let (project, repository) = try await repository(call, Permission("artifact", "list"))
            let list = try HarborListRequest(call.request)
            let withTags = call.request.queryValue("with_tag") != "false"
            let page = try await listings.artifactPage(repository: repository.name, query: list.query, withTags: withTags)
            var bodies = page.items.map { artifactBody($0, project, withTags: withTags) }
            if call.request.queryValue("with_scan_overview") == "true" { try await addScanOverviews(&bodies) }
            return try HarborResponder.json(bodies, headers: list.paging.headers(total: page.total, request: call.request))
        }
        route(&router, .get, artifacts + "/{reference}") { call in
            let (project, artifact) = try await artifact(call, Permission("artifact", "read"))
            var bodies = [artifactBody(artifact, project, withTags: call.request.queryValue("with_tag") != "false")]
            if call.request.queryValue("with_scan_overview") == "true" { try await addScanOverviews(&bodies) }
            return try HarborResponder.json(bodies[0])
        }
        route(&router, .delete, artifacts + "/{reference}") { call in
            let (project, artifact) = try await artifact(call, Permission("artifact", "delete"))
            guard let digest = Digest.parse(artifact.digest), let name = RepositoryName(artifact.repository) else {
                throw HarborError.notFound("artifact not found")
            }
            try await registry.deleteManifest(name, reference: .digest(digest))
            audit(call, project.name, resource: artifact.repository + "@" + artifact.digest, type: "artifact", operation: "delete")
            return HarborResponder.empty()
        }
        route(&router, .get, artifacts + "/{reference}/tags") { call in
            let (_, artifact) = try await artifact(call, Permission("tag", "list"))
            let list = try HarborListRequest(call.request)
            let page = try await listings.tagPage(repository: artifact.repository, digest: artifact.digest, query: list.query)
            return try HarborResponder.json(page.items.map { tagBody($0, artifact) },
                                            headers: list.paging.headers(total: page.total, request: call.request))
        }
        route(&router, .post, artifacts + "/{reference}/tags") { call in
            let (project, artifact) = try await artifact(call, Permission("tag", "create"))
            let body = try await HarborResponder.decode(HarborNameRequest.self, from: call.request)
            guard case .tag = Reference(body.name) else { throw HarborError.badRequest("invalid tag name \(body.name)") }
            guard try await listings.createTag(repository: artifact.repository, name: body.name, digest: artifact.digest,
                                               at: HarborAuditLog.now()) else {
                throw HarborError.conflict("tag \(body.name) already exists")
            }
            audit(call, project.name, resource: artifact.repository + ":" + body.name, type: "tag", operation: "create")
            return HarborResponder.created(call.request.path + "/" + body.name)
        }
        route(&router, .delete, artifacts + "/{reference}/tags/{tag}") { call in
            let (project, artifact) = try await artifact(call, Permission("tag", "delete"))
            let tag = call.parameter("tag")
            guard artifact.tags.contains(where: { $0.name == tag }), let name = RepositoryName(artifact.repository) else {
                throw HarborError.notFound("tag \(tag) not found")
            }
            try await registry.deleteManifest(name, reference: .tag(tag))
            audit(call, project.name, resource: artifact.repository + ":" + tag, type: "tag", operation: "delete")
            return HarborResponder.empty()
        }
    }

    /// This API with `scan_overview` in artifact bodies taken from `scans` (nil: scanning is off).
    public func scanning(_ scans: (any ScanProvider)?) -> HarborAPI {
        var api = self
        api.scans = scans
        return api
    }

    /// Sets Harbor's `scan_overview` on the bodies of scanned artifacts (one lookup for the whole page).
    func addScanOverviews(_ bodies: inout [HarborArtifact]) async throws {
        guard let scans, !bodies.isEmpty else { return }
        let overviews = try await scans.overviews(digests: bodies.map(\.digest))
        for index in bodies.indices {
            if let overview = overviews[bodies[index].digest] {
                bodies[index].scan_overview = [ScanOverview.reportMediaType: overview]
            }
        }
    }

    /// The artifact a `{reference}` (digest or tag) names, after checking `permission`.
    func artifact(_ call: Call, _ permission: Permission) async throws -> (ProjectRecord, ArtifactListing) {
        let project = try await readableProject(call)
        try await require(call, permission, in: project)
        let repository = try repositoryName(project, call)
        let reference = call.parameter("reference")
        var digest = reference
        if Digest.parse(reference) == nil {
            guard let tagged = try await listings.digest(repository: repository, tag: reference) else {
                throw HarborError.notFound("artifact \(reference) not found")
            }
            digest = tagged
        }
        guard let artifact = try await listings.artifactListing(repository: repository, digest: digest) else {
            throw HarborError.notFound("artifact \(reference) not found")
        }
        return (project, artifact)
    }

    func artifactBody(_ artifact: ArtifactListing, _ project: ProjectRecord, withTags: Bool) -> HarborArtifact {
        HarborArtifact(id: artifact.id, type: Self.artifactKind(artifact), media_type: artifact.artifactType ?? artifact.mediaType,
                       manifest_media_type: artifact.mediaType, artifact_type: artifact.artifactType, project_id: project.id,
                       repository_id: artifact.repositoryID, repository_name: artifact.repository, digest: artifact.digest,
                       size: artifact.size, push_time: ListingTime.format(artifact.pushTime),
                       pull_time: artifact.pullTime.map(ListingTime.format) ?? Self.never,
                       annotations: Self.annotations(artifact.annotationsJSON),
                       references: artifact.references.isEmpty ? nil
                           : artifact.references.map { HarborReference(parent_id: artifact.id, child_digest: $0) },
                       tags: withTags ? artifact.tags.map { tagBody($0, artifact) } : nil, labels: nil, scan_overview: nil)
    }

    func tagBody(_ tag: TagListing, _ artifact: ArtifactListing) -> HarborTag {
        HarborTag(id: tag.id, repository_id: artifact.repositoryID, artifact_id: artifact.id, name: tag.name,
                  push_time: ListingTime.format(tag.pushTime), pull_time: tag.pullTime.map(ListingTime.format) ?? Self.never,
                  immutable: false, signed: false)
    }

    /// The manifest's string annotations (OCI allows only strings), or nil.
    static func annotations(_ json: String?) -> [String: String]? {
        guard let json else { return nil }
        return try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))
    }

    /// Harbor's artifact `type`: IMAGE, CHART, CNAB, or UNKNOWN.
    static func artifactKind(_ artifact: ArtifactListing) -> String {
        let config = artifact.artifactType ?? ""
        if config.contains("helm.config") || config.contains("helm.chart") { return "CHART" }
        if config.contains("cnab") { return "CNAB" }
        if MediaType.imageConfigTypes.contains(config) || MediaType.indexTypes.contains(artifact.mediaType) { return "IMAGE" }
        return "UNKNOWN"
    }
}
