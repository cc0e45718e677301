/// Extracts CVSS v4.0 and v3 scores from NVD API 2.0 JSON (a feed `{"vulnerabilities":[{"cve":…}]}` or one
/// `cve` object) and CVE JSON 5 records (`cveMetadata` + `containers`), for the severity table.
public enum CVERecordSeverity {
    /// Whether a document looks like NVD 2.0 or CVE JSON 5.
    public static func recognises(_ json: JSONValue) -> Bool {
        json["vulnerabilities"] != nil || json["cveMetadata"] != nil
            || (json["metrics"] != nil && json["sourceIdentifier"] != nil)
    }

    /// `(cve id, row)` pairs; the score is recomputed from the vector.
    public static func rows(_ json: JSONValue) -> [(String, SeverityTables.CVSSRow)] {
        if json["cveMetadata"] != nil { return cve5(json).map { [$0] } ?? [] }
        if let list = json["vulnerabilities"]?.array { return list.compactMap { nvd($0["cve"] ?? .null) } }
        return nvd(json).map { [$0] } ?? []
    }

    /// NVD: the newest CVSS version given (v4.0, v3.1, v3.0), and within one version the `Primary` metric.
    static func nvd(_ cve: JSONValue) -> (String, SeverityTables.CVSSRow)? {
        guard let id = cve["id"]?.string else { return nil }
        for key in ["cvssMetricV40", "cvssMetricV31", "cvssMetricV30"] {
            var candidates: [(primary: Bool, source: String, vector: String)] = []
            for m in cve["metrics"]?[key]?.array ?? [] {
                guard let v = m["cvssData"]?["vectorString"]?.string else { continue }
                let primary = m["type"]?.string == "Primary"
                candidates.append((primary, primary ? "nvd" : "other:" + (m["source"]?.string ?? ""), v))
            }
            let ordered = candidates.filter(\.primary) + candidates.filter { !$0.primary }
            for c in ordered {
                if let score = CVSS.score(c.vector) { return (id, .init(vector: c.vector, score: score, source: c.source)) }
            }
        }
        return nil
    }

    /// CVE JSON 5: the newest CVSS version given (`cvssV4_0`, `cvssV3_1`, `cvssV3_0`); within one version the
    /// CNA container first, then ADP containers.
    static func cve5(_ json: JSONValue) -> (String, SeverityTables.CVSSRow)? {
        guard let id = json["cveMetadata"]?["cveId"]?.string else { return nil }
        let containers = json["containers"]
        var ordered: [(String, JSONValue)] = []
        if let cna = containers?["cna"] {
            ordered.append(("cna:" + (cna["providerMetadata"]?["shortName"]?.string ?? ""), cna))
        }
        for adp in containers?["adp"]?.array ?? [] {
            ordered.append(("adp:" + (adp["providerMetadata"]?["shortName"]?.string ?? ""), adp))
        }
        for key in ["cvssV4_0", "cvssV3_1", "cvssV3_0"] {
            for (source, container) in ordered {
                for m in container["metrics"]?.array ?? [] {
                    if let v = m[key]?["vectorString"]?.string, let score = CVSS.score(v) {
                        return (id, .init(vector: v, score: score, source: source))
                    }
                }
            }
        }
        return nil
    }
}
