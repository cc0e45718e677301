import BerthCore
import BerthMetadata

/// Sets the gauges that describe stored state (projects, repositories, storage per project, job queue
/// depth) every `intervalSeconds`, from the shared database, so every node reports the same values.
struct MetricsCollector: Sendable {
    let metrics: MetricsCatalog
    let identity: any IdentityStore
    let listings: (any ListingStore)?
    let jobs: (any JobStore)?
    /// For the open upload sessions gauge (counted up to 10,000).
    var metadata: (any MetadataStore)? = nil
    var intervalSeconds: Int64 = 30

    func run() async {
        while !Task.isCancelled {
            do {
                try await collect()
            } catch {
                Log.warning("metrics collection failed: \(error)")
            }
            try? await Task.sleep(for: .seconds(intervalSeconds))
        }
    }

    /// One pass over the projects (bounded to the first 10,000) and the job counts.
    func collect() async throws {
        var publicCount = 0, privateCount = 0
        var offset = 0
        while offset < 10_000 {
            let page = try await identity.projects(matching: nil, publicOnly: false, offset: offset, limit: 500)
            for project in page {
                if project.isPublic { publicCount += 1 } else { privateCount += 1 }
                let visibility = project.isPublic ? "true" : "false"
                metrics.harborProjectQuota.child([project.name]).set(project.storageLimit)
                guard let listings else { continue }
                let bytes = try await listings.storageBytes(namespace: project.name)
                metrics.harborProjectQuotaUsage.child([project.name]).set(bytes)
                metrics.storageUsed.child([project.name]).set(bytes)
                let repositories = try await listings.repositoryCount(namespace: project.name)
                metrics.harborProjectRepoTotal.child([project.name, visibility]).set(Int64(repositories))
            }
            offset += page.count
            if page.count < 500 { break }
        }
        metrics.harborProjectTotal.child(["true"]).set(Int64(publicCount))
        metrics.harborProjectTotal.child(["false"]).set(Int64(privateCount))
        if let metadata {
            let open = try await metadata.uploads(updatedAtOrBefore: Int64.max, limit: 10_000).count
            metrics.uploadSessions.set(Int64(open))
        }
        if let jobs {
            let counts = try await jobs.counts(type: nil)
            metrics.jobQueueDepth.child(["all"]).set(Int64(counts[.pending] ?? 0))
        }
    }
}
