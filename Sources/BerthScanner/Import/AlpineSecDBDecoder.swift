/// Reads Alpine's secdb JSON (`{"distroversion","reponame","packages":[{"pkg":{"name","secfixes"}}]}`)
/// into OSV-shaped records, as osv.dev does: id `ALPINE-<CVE>`, ecosystem `Alpine:<distroversion>`,
/// name = origin package, range `introduced 0` → `fixed <secfixes key>`. Ids that already carry the
/// `ALPINE-` prefix (Alpine's own tracker ids) are kept as they are.
public enum AlpineSecDBDecoder {
    /// Decodes a secdb document; secfixes key `"0"` (never affected in this branch) is skipped.
    public static func decode(_ json: JSONValue) throws -> [OSVRecordDecoder.Decoded] {
        guard let release = json["distroversion"]?.string, json["packages"] != nil else {
            throw OSVRecordDecoder.DecodeError(reason: "not an Alpine secdb document")
        }
        let ecosystem = "Alpine:" + (release.hasPrefix("v") ? release : "v" + release)
        var byID: [String: OSVRecordDecoder.Decoded] = [:]
        var order: [String] = []
        for p in json["packages"]?.array ?? [] {
            guard let name = p["pkg"]?["name"]?.string else { continue }
            for (fixed, ids) in p["pkg"]?["secfixes"]?.object ?? [:] where fixed != "0" {
                for raw in ids.strings {
                    let tokens = raw.split(separator: " ").map(String.init)
                    guard let first = tokens.first else { continue }
                    let id = first.hasPrefix("ALPINE-") ? first : "ALPINE-" + first
                    let entry = AffectedPackage(record: 0, ecosystem: ecosystem, name: name,
                                                ranges: [[.introduced("0"), .fixed(fixed)]], versions: [])
                    if byID[id] == nil {
                        order.append(id)
                        let aliases = [first] + tokens.dropFirst()
                        byID[id] = .init(record: VulnerabilityRecord(id: id, aliases: aliases), affected: [], withdrawn: false)
                    }
                    byID[id]!.affected.append(entry)
                }
            }
        }
        return order.compactMap { byID[$0] }
    }
}
