@testable import BerthAPI
import BerthAuth
import BerthCore
import BerthMetadata
import BerthPolicy
import HTTPServer
import Testing

/// `with_scan_overview=true` on artifact lists and single artifacts, and the project body's `cve_allowlist`.
@Suite struct ScanOverviewRoutesTests {
    /// A scanner that knows overviews for some digests.
    struct Overviews: ScanProvider {
        let known: [String: ScanOverview]
        func requestScan(repository: String, digest: String) async throws {}
        func scanStatus(digest: String) async throws -> (status: String, progress: Int, reportJSON: String?)? { nil }
        func gateState(digest: String) async throws -> ScanState { .notScanned }
        func databaseStatusJSON() async throws -> String { "{}" }
        func overviews(digests: [String]) async throws -> [String: ScanOverview] { known.filter { digests.contains($0.key) } }
    }

    static func handler(_ api: HarborAPI, scans: any ScanProvider) -> HTTPHandler {
        var router = HTTPRouter()
        api.register(on: &router)
        ScanRoutes(api: api, scans: scans).register(on: &router)
        return router.handler()
    }

    @Test func scannedRowsCarryTheirOverviewOnlyWhenAsked() async throws {
        let fixture = try await ScanAllFixture()
        let admin = Principal.user(UserPrincipal(id: fixture.admin.id, username: "admin", isSysadmin: true, method: "password"))
        _ = try await fixture.identity.createProject(name: "p", creator: admin)
        try await fixture.push("p/r", seed: 1)
        try await fixture.push("p/r", seed: 2)
        let scanned = ScanAllFixture.digest(1).description
        let overview = ScanOverview(report_id: "x", scan_status: "Success", severity: "High", duration: nil,
                                    summary: .init(total: 2, fixable: 1, summary: ["High": 1, "Low": 1]),
                                    end_time: "2024-01-01T00:00:00.000Z", complete_percent: 100,
                                    scanner: .init(name: "Berth", vendor: "Berth", version: "1"))
        let handle = Self.handler(fixture.api.scanning(Overviews(known: [scanned: overview])),
                                  scans: Overviews(known: [:]))

        let rows = ScanAllFixture.array(try await handle(ScanAllFixture.request(
            .get, "/projects/p/repositories/r/artifacts?with_scan_overview=true", as: "admin")))
        #expect(rows.count == 2)
        for row in rows {
            let entry = (row["scan_overview"] as? [String: Any])?[ScanOverview.reportMediaType] as? [String: Any]
            if row["digest"] as? String == scanned {
                #expect(entry?["scan_status"] as? String == "Success" && entry?["severity"] as? String == "High")
                let summary = entry?["summary"] as? [String: Any]
                #expect(summary?["total"] as? Int == 2 && summary?["fixable"] as? Int == 1)
                #expect(summary?["summary"] as? [String: Int] == ["High": 1, "Low": 1])
                #expect(entry?["duration"] == nil && entry?["complete_percent"] as? Int == 100)
            } else {
                #expect(row["scan_overview"] == nil)
            }
        }
        let plain = ScanAllFixture.array(try await handle(ScanAllFixture.request(.get, "/projects/p/repositories/r/artifacts", as: "admin")))
        #expect(plain.count == 2 && plain.allSatisfy { $0["scan_overview"] == nil })
        let single = ScanAllFixture.object(try await handle(ScanAllFixture.request(
            .get, "/projects/p/repositories/r/artifacts/\(scanned)?with_scan_overview=true", as: "admin")))
        #expect(single["scan_overview"] != nil && single["digest"] as? String == scanned)
        let unscanned = ScanAllFixture.object(try await handle(ScanAllFixture.request(
            .get, "/projects/p/repositories/r/artifacts/t2?with_scan_overview=true", as: "admin")))
        #expect(unscanned["digest"] as? String == ScanAllFixture.digest(2).description && unscanned["scan_overview"] == nil)
    }

    @Test func projectBodyReadsAndWritesTheProjectAllowlist() async throws {
        let fixture = try await ScanAllFixture()
        let handle = Self.handler(fixture.api, scans: Overviews(known: [:]))
        let created = try await handle(ScanAllFixture.request(.post, "/projects", as: "admin", json: """
            {"project_name":"q","cve_allowlist":{"items":[{"cve_id":"CVE-2024-1"}],"expires_at":4102444800}}
            """))
        #expect(created.status == 201)
        func ids(_ body: [String: Any]) -> [String] {
            ((body["items"] as? [[String: Any]]) ?? []).compactMap { $0["cve_id"] as? String }
        }
        let project = ScanAllFixture.object(try await handle(ScanAllFixture.request(.get, "/projects/q", as: "admin")))
        let list = project["cve_allowlist"] as? [String: Any] ?? [:]
        #expect(ids(list) == ["CVE-2024-1"] && list["expires_at"] as? Int == 4_102_444_800)
        #expect(list["project_id"] as? Int == project["project_id"] as? Int && list["creation_time"] is String)
        let direct = ScanAllFixture.object(try await handle(ScanAllFixture.request(.get, "/projects/q/cve_allowlist", as: "admin")))
        #expect(ids(direct) == ["CVE-2024-1"])

        // A stranger may not change it; an administrator may, and both paths agree.
        let denied = try await handle(ScanAllFixture.request(.put, "/projects/q", as: "bob",
                                                             json: #"{"cve_allowlist":{"items":[]}}"#))
        #expect(denied.status == 403)
        let updated = try await handle(ScanAllFixture.request(.put, "/projects/q", as: "admin",
                                                              json: #"{"cve_allowlist":{"items":[{"cve_id":"CVE-2024-2"}]}}"#))
        #expect(updated.status == 200)
        #expect(ids(ScanAllFixture.object(try await handle(ScanAllFixture.request(.get, "/projects/q/cve_allowlist", as: "admin"))))
                == ["CVE-2024-2"])
        #expect(try await handle(ScanAllFixture.request(.put, "/projects/q/cve_allowlist", as: "admin",
                                                        json: #"{"items":[{"cve_id":"CVE-2024-3"}]}"#)).status == 200)
        let again = ScanAllFixture.object(try await handle(ScanAllFixture.request(.get, "/projects/q", as: "admin")))
        #expect(ids(again["cve_allowlist"] as? [String: Any] ?? [:]) == ["CVE-2024-3"])
        // A project body without the field leaves the list alone; a project that never had one shows an empty list.
        #expect(try await handle(ScanAllFixture.request(.put, "/projects/q", as: "admin", json: #"{"metadata":{"auto_scan":"true"}}"#)).status == 200)
        #expect(ids(ScanAllFixture.object(try await handle(ScanAllFixture.request(.get, "/projects/q/cve_allowlist", as: "admin"))))
                == ["CVE-2024-3"])
        #expect(try await handle(ScanAllFixture.request(.post, "/projects", as: "admin", json: #"{"project_name":"empty"}"#)).status == 201)
        let empty = ScanAllFixture.object(try await handle(ScanAllFixture.request(.get, "/projects/empty", as: "admin")))
        #expect((empty["cve_allowlist"] as? [String: Any])?["items"] as? [Any] != nil)
        #expect(ids(empty["cve_allowlist"] as? [String: Any] ?? [:]).isEmpty)
    }
}
