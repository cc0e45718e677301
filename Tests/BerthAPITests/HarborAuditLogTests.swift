@testable import BerthAPI
import BerthCore
import BerthMetadata
import Glibc
import HTTPServer
import Testing

@Suite("Harbor audit log writer")
struct HarborAuditLogTests {
    @Test func registryEventsAreBatchedWithPullTimes() async throws {
        let store = try HarborListingTests.store()
        try await HarborListingTests.push(store, "proj/app", count: 1, seed: 1)
        let digest = HarborListingTests.digest(1000).description
        let log = HarborAuditLog(audit: store, listings: store, retentionDays: 1) { request in
            request.headers["X-User"] ?? "anonymous"
        }
        let request = HTTPRequest(method: .get, target: "/v2/proj/app/manifests/v0",
                                  headers: HTTPHeaders([("X-User", "alice")]), remoteAddress: "10.1.2.3:5555")
        log.registryEvent(RegistryAuditEvent(operation: "pull", repository: RepositoryName("proj/app")!, reference: "v0",
                                             digest: digest), request: request)
        log.record(project: "proj", username: "admin", resource: "proj", resourceType: "project", operation: "update",
                   address: "127.0.0.1")
        #expect(try await store.auditPage(project: nil, query: ListingQuery()).total == 0)
        await log.flush()
        let page = try await store.auditPage(project: "proj", query: ListingQuery(sort: [ListingSort(key: "username")]))
        #expect(page.total == 2)
        #expect(page.items.map(\.username) == ["admin", "alice"])
        #expect(page.items[1].resource == "proj/app:v0" && page.items[1].remoteAddress == "10.1.2.3")
        #expect(try await store.artifactListing(repository: "proj/app", digest: digest)?.pullTime != nil)
        #expect(try await store.repositoryListing("proj/app")?.pullCount == 1)
    }

    @Test func purgeKeepsRecentEntries() async throws {
        let store = try HarborListingTests.store()
        let old = AuditRecord(project: nil, username: "u", resource: "r", resourceType: "user", operation: "create",
                              remoteAddress: "", time: HarborAuditLog.now() - 3 * 86_400)
        try await store.appendAudit([old])
        let log = HarborAuditLog(audit: store, listings: store, retentionDays: 2) { _ in "x" }
        log.record(project: nil, username: "u", resource: "r", resourceType: "user", operation: "update", address: "")
        await log.flush()
        #expect(await log.purge() == 1)
        let left = try await store.auditPage(project: nil, query: ListingQuery())
        #expect(left.items.map(\.operation) == ["update"])
        let keepAll = HarborAuditLog(audit: store, listings: store, retentionDays: 0) { _ in "x" }
        #expect(await keepAll.purge() == 0)
    }

    @Test(arguments: [("1.2.3.4:80", "1.2.3.4"), ("[::1]:5000", "::1"), ("::1", "::1"), ("host", "host")])
    func addressesLoseTheirPort(_ address: String, _ host: String) {
        #expect(HarborAuditLog.host(of: address) == host)
    }

    @Test func artifactKinds() {
        func listing(_ media: String, _ config: String?) -> ArtifactListing {
            ArtifactListing(id: 1, repositoryID: 1, repository: "p/r", digest: "d", mediaType: media, artifactType: config,
                            size: 0, pushTime: 0, pullTime: nil, annotationsJSON: nil, references: [], tags: [])
        }
        #expect(HarborAPI.artifactKind(listing("application/vnd.oci.image.manifest.v1+json",
                                               "application/vnd.oci.image.config.v1+json")) == "IMAGE")
        #expect(HarborAPI.artifactKind(listing("application/vnd.oci.image.manifest.v1+json",
                                               "application/vnd.cncf.helm.config.v1+json")) == "CHART")
        #expect(HarborAPI.artifactKind(listing("application/vnd.oci.image.index.v1+json", nil)) == "IMAGE")
        #expect(HarborAPI.artifactKind(listing("application/vnd.oci.image.manifest.v1+json", "application/x-custom")) == "UNKNOWN")
        #expect(HarborAPI.annotations("{\"a\":\"b\"}") == ["a": "b"])
        #expect(HarborAPI.annotations("not json") == nil)
    }
}
