import BerthCore
import BerthMetadata
import BerthScanner

/// Turns matcher output into Harbor's report: one row per (vulnerability, package), the highest severity
/// on top, sorted by severity then id.
enum ScanReportBuilder {
    static func build(_ matches: [VulnerabilityMatch], database: VulnerabilityDatabase, repository: String, digest: String,
                      mimeType: String, now: Int64) -> ScanReport {
        var seen = Set<String>()
        var items: [(SeverityLevel, ScanReport.Item)] = []
        for match in matches {
            let record = database.records.indices.contains(match.recordIndex) ? database.records[match.recordIndex] : nil
            let aliases = record?.aliases ?? []
            // Harbor's users and allowlists speak CVE ids: show the CVE when the advisory has one.
            let cve = match.vulnerabilityID.hasPrefix("CVE-") ? match.vulnerabilityID
                : aliases.first { $0.hasPrefix("CVE-") } ?? match.vulnerabilityID
            let key = cve + "\u{0}" + match.package.name + "\u{0}" + match.installedVersion
            guard seen.insert(key).inserted else { continue }
            let others = ([match.vulnerabilityID] + aliases).filter { $0 != cve }
            let text = record.map { $0.summary.isEmpty ? $0.details : $0.summary } ?? ""
            let cvss = match.severity.score.map { ScanReport.CVSS(score: $0, vector: match.severity.vector) }
            items.append((match.severity.level, ScanReport.Item(
                id: cve, package: match.package.name, version: match.installedVersion,
                fix_version: match.fixedVersions.joined(separator: ", "), severity: match.severity.level.description,
                description: text, links: links(cve, record?.references ?? []), preferred_cvss: cvss,
                cwe_ids: record?.cweIDs ?? [], aliases: others, severity_source: match.severity.source.description)))
        }
        items.sort { $0.0 != $1.0 ? $0.0 > $1.0 : ($0.1.id, $0.1.package) < ($1.1.id, $1.1.package) }
        let top = items.first?.0 ?? .none
        return ScanReport(generated_at: ListingTime.format(now),
                          artifact: .init(repository: repository, digest: digest, mime_type: mimeType),
                          scanner: .init(version: BerthCommand.releaseVersion), severity: top.description,
                          vulnerabilities: items.map(\.1))
    }

    private static func links(_ id: String, _ references: [String]) -> [String] {
        let primary = id.hasPrefix("CVE-") ? ["https://nvd.nist.gov/vuln/detail/\(id)"] : []
        return primary + references.prefix(5)
    }
}
