/// Harbor's vulnerability report (`application/vnd.security.vulnerability.report; version=1.1`).
struct ScanReport: Codable, Sendable {
    struct Artifact: Codable, Sendable {
        var repository: String
        var digest: String
        var mime_type: String
    }
    struct Scanner: Codable, Sendable {
        var name = "Berth"
        var vendor = "Berth"
        var version: String
    }
    struct CVSS: Codable, Sendable {
        var score_v3: Double?
        var vector_v3: String?
    }
    struct Item: Codable, Sendable {
        var id: String
        var package: String
        var version: String
        var fix_version: String
        var severity: String
        var description: String
        var links: [String]
        var preferred_cvss: CVSS?
        var cwe_ids: [String]
        /// The advisory's other ids (the gate matches allowlists against them too).
        var aliases: [String]
        /// Where the severity came from (the record's vector, a CVE table, a vendor label or unknown).
        var severity_source: String
    }

    static let mimeType = "application/vnd.security.vulnerability.report; version=1.1"

    var generated_at: String
    var artifact: Artifact
    var scanner: Scanner
    var severity: String
    var vulnerabilities: [Item]
}
