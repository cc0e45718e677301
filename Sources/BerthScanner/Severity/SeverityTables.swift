/// CVE-keyed severity data imported from TSV tables (`cvss.tsv`, `vendor-severity.tsv`).
public struct SeverityTables: Sendable, Hashable {
    /// One CVSS row: vector (may be empty), score, and the row's source label.
    public struct CVSSRow: Sendable, Hashable {
        public var vector: String
        public var score: Double
        public var source: String
    }

    /// One vendor label.
    public struct VendorRow: Sendable, Hashable {
        public var vendor: String
        public var label: String
    }

    public var cvss: [String: CVSSRow] = [:]
    public var vendor: [String: [VendorRow]] = [:]

    public init() {}

    /// Imports a TSV table, recognised by its header: `cve_id cvss_v3_vector cvss_v3_base_score …`
    /// or `cve_id vendor severity …`. Returns the number of rows taken.
    @discardableResult
    public mutating func importTSV(_ text: String, name: String) throws -> Int {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let header = lines.next()?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) else {
            throw ImportError.malformed(name, "empty table")
        }
        func column(_ n: String) -> Int? { header.firstIndex(of: n) }
        var count = 0
        if let id = column("cve_id"), let vec = column("cvss_v3_vector"), let score = column("cvss_v3_base_score") {
            let source = column("source")
            while let line = lines.next() {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard f.count > max(id, vec, score) else { continue }
                let vector = String(f[vec])
                // Our own computation wins over a copied number whenever a v3 or v4 vector is present.
                guard let s = CVSS.score(vector) ?? Double(f[score]) else { continue }
                cvss[String(f[id])] = CVSSRow(vector: vector, score: s,
                                               source: source.flatMap { $0 < f.count ? String(f[$0]) : nil } ?? "table")
                count += 1
            }
        } else if let id = column("cve_id"), let v = column("vendor"), let sev = column("severity") {
            while let line = lines.next() {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard f.count > max(id, v, sev) else { continue }
                let row = VendorRow(vendor: String(f[v]), label: String(f[sev]))
                vendor[String(f[id]), default: []].removeAll { $0.vendor == row.vendor }
                vendor[String(f[id]), default: []].append(row)
                count += 1
            }
        } else {
            throw ImportError.unsupported(name)
        }
        return count
    }

    /// Resolves a record's severity: its own CVSS vector (the newest version it gives: v4.0, then v3.1,
    /// then v3.0; see `CVSS`), then the CVSS table by id or alias, then a vendor label (preferring
    /// `preferredVendors` in order), then unknown. The assessment carries the vector and our score.
    public func assess(_ record: VulnerabilityRecord, preferredVendors: [String] = []) -> SeverityAssessment {
        for vector in CVSS.newestFirst(record.severityVectors) {
            if let score = CVSS.score(vector) {
                return SeverityAssessment(level: SeverityLevel(cvssScore: score), score: score, vector: vector, source: .recordVector)
            }
        }
        let ids = record.allIDs
        for id in ids {
            if let row = cvss[id] {
                return SeverityAssessment(level: SeverityLevel(cvssScore: row.score), score: row.score,
                                          vector: row.vector.isEmpty ? nil : row.vector, source: .cvssTable(row.source))
            }
        }
        let order = preferredVendors + ["ubuntu", "redhat", "azurelinux"]
        var best: (rank: Int, row: VendorRow)?
        for id in ids {
            for row in vendor[id] ?? [] {
                let rank = order.firstIndex(of: row.vendor) ?? order.count
                if best == nil || rank < best!.rank { best = (rank, row) }
            }
        }
        if let best, SeverityLevel(vendorLabel: best.row.label) != .unknown {
            return SeverityAssessment(level: SeverityLevel(vendorLabel: best.row.label), source: .vendor(best.row.vendor))
        }
        return .unknown
    }
}
