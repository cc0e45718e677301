/// CVSS v4.0 scoring from a vector string, after FIRST's v4.0 specification: the vector's macrovector
/// (EQ1…EQ6) gives a published score, from which the vector's severity distance to the highest-severity
/// vectors of that macrovector is subtracted in proportion to the score gap to the next lower macrovector.
///
/// The score covers whatever metric groups the vector carries: CVSS-B for a base vector, CVSS-BT/BE/BTE
/// when threat or environmental metrics are present. Supplemental metrics never change it.
public enum CVSSv4 {
    /// The score of a `CVSS:4.0/…` vector rounded to one decimal, or nil when the vector is malformed.
    public static func score(_ vector: String) -> Double? {
        guard let parsed = CVSSv4Vector(vector) else { return nil }
        return score(parsed)
    }

    /// The score of a parsed vector rounded to one decimal (nil only if the macrovector were unknown).
    public static func score(_ v: CVSSv4Vector) -> Double? {
        if ["VC", "VI", "VA", "SC", "SI", "SA"].allSatisfy({ v.effective($0) == "N" }) { return 0 }
        let eq = v.macroVector
        guard let value = lookup(eq) else { return nil }

        // Score of the next lower macrovector along each EQ (nil where none exists).
        func lower(_ change: (inout [Int]) -> Void) -> Double? {
            var next = eq
            change(&next)
            return lookup(next)
        }
        let lower1 = lower { $0[0] += 1 }
        let lower2 = lower { $0[1] += 1 }
        let lower36: Double?
        switch (eq[2], eq[5]) {
        case (0, 0):
            let left = lower { $0[5] += 1 }, right = lower { $0[2] += 1 }
            lower36 = [left, right].compactMap { $0 }.max()
        case (1, 0): lower36 = lower { $0[5] += 1 }
        case (0, 1), (1, 1): lower36 = lower { $0[2] += 1 }
        default: lower36 = nil
        }
        let lower4 = lower { $0[3] += 1 }
        let lower5 = lower { $0[4] += 1 }

        let distance = severityDistances(v, eq: eq)
        let step = 0.1
        var sum = 0.0
        var existing = 0
        func add(_ lowerScore: Double?, _ current: Double, _ depth: Int) {
            guard let lowerScore else { return }
            existing += 1
            sum += (value - lowerScore) * (current / (Double(depth) * step))
        }
        add(lower1, distance["AV"]! + distance["PR"]! + distance["UI"]!, CVSSv4Tables.eq1Depth[eq[0]])
        add(lower2, distance["AC"]! + distance["AT"]!, CVSSv4Tables.eq2Depth[eq[1]])
        add(lower36, distance["VC"]! + distance["VI"]! + distance["VA"]! + distance["CR"]! + distance["IR"]! + distance["AR"]!,
            CVSSv4Tables.eq3eq6Depth[eq[2]][eq[5]])
        add(lower4, distance["SC"]! + distance["SI"]! + distance["SA"]!, CVSSv4Tables.eq4Depth[eq[3]])
        if lower5 != nil { existing += 1 }   // EQ5 has no depth: its proportion is always 0
        let mean = existing == 0 ? 0 : sum / Double(existing)
        let raw = min(10, max(0, value - mean))
        // Round half up; the small epsilon keeps float noise (4.9499999…) from rounding a true half down,
        // as FIRST's calculator does.
        return ((raw + 1e-6) * 10).rounded(.toNearestOrAwayFromZero) / 10
    }

    /// The published score of a macrovector, nil when the combination does not exist.
    static func lookup(_ eq: [Int]) -> Double? {
        let key = eq.map(String.init).joined()
        return CVSSv4Tables.macroScores[key].map { Double($0) / 10 }
    }

    /// Per-metric severity distance of `v` from the first highest-severity vector of its macrovector that
    /// is at least as severe on every metric.
    static func severityDistances(_ v: CVSSv4Vector, eq: [Int]) -> [String: Double] {
        let groups = [CVSSv4Tables.eq1Maxes[eq[0]], CVSSv4Tables.eq2Maxes[eq[1]],
                      CVSSv4Tables.eq3eq6Maxes[eq[2]][eq[5]], CVSSv4Tables.eq4Maxes[eq[3]]]
        var candidates: [[String: String]] = [[:]]
        for group in groups {
            var next: [[String: String]] = []
            for partial in candidates {
                for piece in group { next.append(partial.merging(pairs(piece)) { a, _ in a }) }
            }
            candidates = next
        }
        var distances: [String: Double] = [:]
        for candidate in candidates {
            distances = [:]
            for (metric, levels) in CVSSv4Tables.levels {
                distances[metric] = (levels[v.effective(metric)] ?? 0) - (levels[candidate[metric] ?? ""] ?? 0)
            }
            if distances.values.allSatisfy({ $0 >= 0 }) { break }
        }
        return distances
    }

    /// `"AV:N/PR:N"` → `["AV": "N", "PR": "N"]`.
    static func pairs(_ piece: String) -> [String: String] {
        var out: [String: String] = [:]
        for part in piece.split(separator: "/") {
            let kv = part.split(separator: ":", maxSplits: 1)
            if kv.count == 2 { out[String(kv[0])] = String(kv[1]) }
        }
        return out
    }
}
