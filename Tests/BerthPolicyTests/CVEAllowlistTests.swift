import BerthPolicy
import FoundationEssentials
import Testing

@Suite struct CVEAllowlistTests {
    @Test func expiredListIsIgnored() {
        let list = CVEAllowlist(items: ["cve-2024-1", " CVE-2024-2 "], expiresAt: 1_000)
        #expect(list.activeIDs(at: 999) == ["CVE-2024-1", "CVE-2024-2"])
        #expect(list.activeIDs(at: 1_000).isEmpty)
        #expect(!CVEAllowlist(items: ["CVE-1"], expiresAt: nil).isExpired(at: .max))
        #expect(!CVEAllowlist(items: ["CVE-1"], expiresAt: 0).isExpired(at: 5))
    }

    @Test func effectiveListFollowsReuseFlag() {
        let system = CVEAllowlist(items: ["CVE-S"])
        let project = CVEAllowlist(items: ["CVE-P"], projectID: 7)
        #expect(CVEAllowlist.effective(system: system, project: project, reuseSystem: true).activeIDs(at: 0) == ["CVE-S"])
        #expect(CVEAllowlist.effective(system: system, project: project, reuseSystem: false).activeIDs(at: 0) == ["CVE-P"])
        #expect(CVEAllowlist.effective(system: nil, project: nil, reuseSystem: true).items.isEmpty)
    }

    @Test func expiredProjectOrSystemListExemptsNothing() {
        let expiredProject = CVEAllowlist(items: ["CVE-P"], expiresAt: 500, projectID: 7)
        let expiredSystem = CVEAllowlist(items: ["CVE-S"], expiresAt: 500)
        let live = CVEAllowlist(items: ["CVE-L"], expiresAt: 5_000)
        #expect(CVEAllowlist.effective(system: live, project: expiredProject, reuseSystem: false).activeIDs(at: 600).isEmpty)
        #expect(CVEAllowlist.effective(system: expiredSystem, project: live, reuseSystem: true).activeIDs(at: 600).isEmpty)
        #expect(CVEAllowlist.effective(system: expiredSystem, project: live, reuseSystem: false).activeIDs(at: 600) == ["CVE-L"])
        #expect(CVEAllowlist.effective(system: expiredSystem, project: live, reuseSystem: true).activeIDs(at: 499) == ["CVE-S"])
    }

    @Test func decodesHarborBody() throws {
        let json = #"{"expires_at":1700000000,"items":[{"cve_id":"CVE-2023-1"}]}"#
        let list = try JSONDecoder().decode(CVEAllowlist.self, from: Data(json.utf8))
        #expect(list.items == [CVEAllowlist.Item(cve_id: "CVE-2023-1")])
        #expect(list.isExpired(at: 1_700_000_000))
    }
}
