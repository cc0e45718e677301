/// Reads ruby-advisory-db advisories (YAML converted to JSON: `gem`, `cve`, `ghsa`, `title`,
/// `description`, `url`, `related.url`, `date`, `patched_versions`, `unaffected_versions`).
/// A version is affected iff it satisfies none of the patched and none of the unaffected
/// requirements (each requirement a comma-joined AND of constraints).
public enum RubySecDecoder {
    /// Whether a document is a RubySec advisory rather than an OSV record.
    public static func recognises(_ json: JSONValue) -> Bool { json["id"] == nil && json["gem"]?.string != nil }

    public static func decode(_ json: JSONValue) throws -> OSVRecordDecoder.Decoded {
        guard let gem = json["gem"]?.string, !gem.isEmpty else {
            throw OSVRecordDecoder.DecodeError(reason: "not a RubySec advisory (no gem)")
        }
        let cve = json["cve"]?.string.map { "CVE-" + $0 }
        let ghsa = json["ghsa"]?.string.map { "GHSA-" + $0 }
        let osvdb = json["osvdb"]?.string.map { "OSVDB-" + $0 }
        guard let primary = cve ?? ghsa ?? osvdb else {
            throw OSVRecordDecoder.DecodeError(reason: "RubySec advisory for \(gem) without an id")
        }
        // One advisory id can cover several gems, so the record id names the gem too.
        let id = "RUBYSEC-\(gem)-\(primary)"
        var refs = [json["url"]?.string].compactMap { $0 }
        for u in json["related"]?["url"]?.strings ?? [] where !refs.contains(u) { refs.append(u) }
        let record = VulnerabilityRecord(
            id: id, aliases: [cve, ghsa].compactMap { $0 }, summary: json["title"]?.string ?? "",
            details: json["description"]?.string ?? "", references: refs, published: json["date"]?.string ?? "")
        var entry = AffectedPackage(record: 0, ecosystem: "RubyGems", name: gem, ranges: [], versions: [])
        entry.patched = requirements(json["patched_versions"])
        entry.unaffected = requirements(json["unaffected_versions"])
        if entry.patched.isEmpty && entry.unaffected.isEmpty {
            // Never patched: every version is affected.
            entry.ranges = [[.introduced("0")]]
        }
        return .init(record: record, affected: [entry], withdrawn: false)
    }

    static func requirements(_ value: JSONValue?) -> [[VersionConstraint]] {
        (value?.strings ?? []).compactMap { item in
            let set = item.split(separator: ",").compactMap { VersionConstraint(parsing: $0) }
            return set.isEmpty ? nil : set
        }
    }
}
