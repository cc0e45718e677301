import Testing
@testable import BerthScanner

@Suite struct CVSSTests {
    @Test(arguments: [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
        ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:L/I:L/A:N", 4.7),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
        ("CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:C/C:L/I:L/A:N", 5.5),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O", 9.8),
    ])
    func knownVectors(_ vector: String, _ score: Double) {
        #expect(CVSSv3.baseScore(vector) == score)
    }

    @Test(arguments: [
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
        "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
        "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    ])
    func rejectsInvalidVectors(_ vector: String) {
        #expect(CVSSv3.baseScore(vector) == nil)
    }

    @Test func levelsFollowHarborBands() {
        #expect(SeverityLevel(cvssScore: 0) == .none)
        #expect(SeverityLevel(cvssScore: 0.1) == .low)
        #expect(SeverityLevel(cvssScore: 3.9) == .low)
        #expect(SeverityLevel(cvssScore: 4.0) == .medium)
        #expect(SeverityLevel(cvssScore: 6.9) == .medium)
        #expect(SeverityLevel(cvssScore: 7.0) == .high)
        #expect(SeverityLevel(cvssScore: 8.9) == .high)
        #expect(SeverityLevel(cvssScore: 9.0) == .critical)
        #expect(SeverityLevel.none < .unknown && .unknown < .low && .high < .critical)
        #expect(SeverityLevel(harborName: "high") == .high)
        #expect(SeverityLevel(vendorLabel: "important") == .high)
        #expect(SeverityLevel(vendorLabel: "negligible") == .low)
        #expect(SeverityLevel(vendorLabel: "untriaged") == .unknown)
    }

    /// Every row of the in-repo sample (and of the shared table when present) recomputes to its published score.
    @Test func tableScoresRecompute() throws {
        var files = [FixtureFiles.path("severity/cvss-sample.tsv")]
        if let shared = FixtureFiles.sharedVulnDB { files.append(shared + "/severity/cvss.tsv") }
        for file in files {
            var checked = 0
            for line in try FixtureFiles.text(file).split(separator: "\n").dropFirst() {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard f.count > 2, !f[1].isEmpty else { continue }
                let expected = try #require(Double(f[2]))
                #expect(CVSSv3.baseScore(String(f[1])) == expected, "\(f[0]) \(f[1])")
                checked += 1
            }
            #expect(checked >= 40, "\(file)")
            print("CVSS rows recomputed from \(file): \(checked)")
        }
    }
}
