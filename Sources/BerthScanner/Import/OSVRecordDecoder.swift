/// Turns one OSV JSON object into a `VulnerabilityRecord` and its affected packages.
public enum OSVRecordDecoder {
    /// The decoded pieces of one OSV document.
    public struct Decoded: Sendable {
        public var record: VulnerabilityRecord
        /// Affected packages with `record` left as 0 (the builder assigns it); ranges unsorted.
        public var affected: [AffectedPackage]
        /// OSV `withdrawn`: the advisory was retracted and must not match.
        public var withdrawn: Bool
    }

    /// Why a document is not an OSV record.
    public struct DecodeError: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// Decodes an OSV object; `GIT` ranges are ignored.
    public static func decode(_ json: JSONValue) throws -> Decoded {
        guard case .object = json, let id = json["id"]?.string, !id.isEmpty else {
            throw DecodeError(reason: "not an OSV record (no id)")
        }
        var vectors: [String] = []
        for s in json["severity"]?.array ?? [] {
            if let score = s["score"]?.string, score.hasPrefix("CVSS:") { vectors.append(score) }
        }
        for a in json["affected"]?.array ?? [] {
            for s in a["severity"]?.array ?? [] {
                if let score = s["score"]?.string, score.hasPrefix("CVSS:"), !vectors.contains(score) { vectors.append(score) }
            }
        }
        var cwes = json["database_specific"]?["cwe_ids"]?.strings ?? []
        if cwes.isEmpty { cwes = json["database_specific"]?["cwes"]?.array.compactMap { $0["cweId"]?.string ?? $0.string } ?? [] }
        let record = VulnerabilityRecord(
            id: id,
            aliases: json["aliases"]?.strings ?? [],
            upstream: json["upstream"]?.strings ?? [],
            summary: json["summary"]?.string ?? "",
            details: json["details"]?.string ?? "",
            references: (json["references"]?.array ?? []).compactMap { $0["url"]?.string },
            severityVectors: vectors,
            published: json["published"]?.string ?? "",
            modified: json["modified"]?.string ?? "",
            cweIDs: cwes)
        var affected: [AffectedPackage] = []
        for a in json["affected"]?.array ?? [] {
            guard let ecosystem = a["package"]?["ecosystem"]?.string, let name = a["package"]?["name"]?.string,
                  !ecosystem.isEmpty, !name.isEmpty else { continue }
            var ranges: [[RangeEvent]] = []
            for r in a["ranges"]?.array ?? [] {
                let type = r["type"]?.string ?? ""
                guard type == "ECOSYSTEM" || type == "SEMVER" else { continue }
                let events: [RangeEvent] = (r["events"]?.array ?? []).compactMap { e in
                    if let v = e["introduced"]?.string { return .introduced(v) }
                    if let v = e["fixed"]?.string { return .fixed(v) }
                    if let v = e["last_affected"]?.string { return .lastAffected(v) }
                    if let v = e["limit"]?.string { return .limit(v) }
                    return nil
                }
                if !events.isEmpty { ranges.append(events) }
            }
            let versions = a["versions"]?.strings ?? []
            if ranges.isEmpty && versions.isEmpty { continue }
            let kind: AffectedPackage.NameKind = a["database_specific"]?["name_kind"]?.string == "binary" ? .binary : .source
            affected.append(AffectedPackage(record: 0, ecosystem: ecosystem, name: name, ranges: ranges, versions: versions,
                                            nameKind: kind))
        }
        let withdrawn = !(json["withdrawn"]?.string ?? "").isEmpty
        return Decoded(record: record, affected: affected, withdrawn: withdrawn)
    }
}
