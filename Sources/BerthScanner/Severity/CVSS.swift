/// Scores CVSS vectors of any version we compute (v3.0, v3.1, v4.0) and orders them by version.
///
/// Where a record gives several vectors, the newest version wins: v4.0, then v3.1, then v3.0. The newer
/// specification is the one its author chose last and describes the issue with more precision, and this
/// matches how NVD and osv.dev present records that carry both.
public enum CVSS {
    /// The score of a vector computed by us, nil for a malformed or unsupported (v2) vector.
    public static func score(_ vector: String) -> Double? {
        if vector.hasPrefix("CVSS:4.0/") { return CVSSv4.score(vector) }
        return CVSSv3.baseScore(vector)
    }

    /// A rank of the vector's version, higher is newer: 40, 31, 30, or 0 when not one we score.
    public static func versionRank(_ vector: String) -> Int {
        if vector.hasPrefix("CVSS:4.0/") { return 40 }
        if vector.hasPrefix("CVSS:3.1/") { return 31 }
        if vector.hasPrefix("CVSS:3.0/") { return 30 }
        return 0
    }

    /// The vectors ordered newest version first, keeping the given order within one version.
    public static func newestFirst(_ vectors: [String]) -> [String] {
        vectors.enumerated().sorted { a, b in
            let ra = versionRank(a.element), rb = versionRank(b.element)
            return ra != rb ? ra > rb : a.offset < b.offset
        }.map(\.element)
    }
}
