@testable import BerthApp
@testable import BerthScanner
import Foundation
import Testing

/// The report's rows: CVE ids preferred, one row per (CVE, package, version), highest severity first, and the
/// CVSS score filed under the version its vector has.
@Suite struct ScanReportBuilderTests {
    static let v3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    static let v4 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"

    static func match(_ id: String, _ package: String, level: SeverityLevel, score: Double?, vector: String?) -> VulnerabilityMatch {
        VulnerabilityMatch(vulnerabilityID: id,
                           package: InstalledPackage(ecosystem: "Debian:12", name: package, version: "1.0"),
                           installedVersion: "1.0", fixedVersions: ["1.1"],
                           severity: SeverityAssessment(level: level, score: score, vector: vector, source: .recordVector),
                           recordIndex: -1)
    }

    @Test func scoresAreFiledUnderTheirVectorsVersion() throws {
        let report = ScanReportBuilder.build(
            [Self.match("CVE-2099-0001", "zlib", level: .high, score: 8.8, vector: Self.v3),
             Self.match("CVE-2099-0002", "curl", level: .critical, score: 9.3, vector: Self.v4),
             Self.match("CVE-2099-0003", "bash", level: .unknown, score: nil, vector: nil)],
            database: VulnerabilityDatabase(), repository: "p/r", digest: "sha256:" + String(repeating: "a", count: 64),
            mimeType: "application/vnd.oci.image.manifest.v1+json", now: 0)
        #expect(report.severity == "Critical")
        #expect(report.vulnerabilities.map(\.id) == ["CVE-2099-0002", "CVE-2099-0001", "CVE-2099-0003"])
        let v4 = try #require(report.vulnerabilities[0].preferred_cvss)
        #expect(v4.score_v4 == 9.3 && v4.vector_v4 == Self.v4 && v4.score_v3 == nil && v4.vector_v3 == nil)
        let v3 = try #require(report.vulnerabilities[1].preferred_cvss)
        #expect(v3.score_v3 == 8.8 && v3.vector_v3 == Self.v3 && v3.score_v4 == nil)
        #expect(report.vulnerabilities[2].preferred_cvss == nil)
        let json = String(decoding: try JSONEncoder().encode(report.vulnerabilities[0].preferred_cvss), as: UTF8.self)
        #expect(json.contains("\"score_v4\":9.3") && !json.contains("score_v3"))
    }

    @Test func duplicateRowsForTheSameCVEAndPackageCollapse() {
        let twice = Self.match("CVE-2099-0001", "zlib", level: .high, score: 8.8, vector: Self.v3)
        let report = ScanReportBuilder.build([twice, twice], database: VulnerabilityDatabase(), repository: "p/r",
                                             digest: "sha256:" + String(repeating: "b", count: 64), mimeType: "", now: 0)
        #expect(report.vulnerabilities.count == 1)
    }
}
