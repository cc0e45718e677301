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
    /// Harbor's `preferred_cvss` (v3 fields), plus v4.0 fields for a CVSS v4.0 vector (Harbor has none yet).
    struct CVSS: Codable, Sendable {
        var score_v3: Double?
        var vector_v3: String?
        var score_v4: Double?
        var vector_v4: String?

        /// The fields for a scored vector, by its version prefix.
        init(score: Double, vector: String?) {
            if vector?.hasPrefix("CVSS:4.0/") == true {
                score_v4 = score
                vector_v4 = vector
            } else {
                score_v3 = score
                vector_v3 = vector
            }
        }
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
