#if canImport(Glibc)
import Glibc
#endif

/// CVSS v3.0/v3.1 base-score calculation from a vector string (FIRST specification formulas).
public enum CVSSv3 {
    /// The base score of a `CVSS:3.0/…` or `CVSS:3.1/…` vector, or nil when the vector is not a
    /// complete, well-formed v3 base vector. Temporal and environmental metrics are ignored.
    public static func baseScore(_ vector: String) -> Double? {
        let parts = vector.split(separator: "/")
        guard let head = parts.first, head == "CVSS:3.0" || head == "CVSS:3.1" else { return nil }
        var m: [Substring: Substring] = [:]
        for p in parts.dropFirst() {
            let kv = p.split(separator: ":", maxSplits: 1)
            guard kv.count == 2 else { return nil }
            if m[kv[0]] != nil { return nil }
            m[kv[0]] = kv[1]
        }
        guard let av = m["AV"], let ac = m["AC"], let pr = m["PR"], let ui = m["UI"], let s = m["S"],
              let c = m["C"], let i = m["I"], let a = m["A"] else { return nil }
        guard s == "U" || s == "C" else { return nil }
        let changed = s == "C"
        let avW: Double, acW: Double, prW: Double, uiW: Double
        switch av { case "N": avW = 0.85; case "A": avW = 0.62; case "L": avW = 0.55; case "P": avW = 0.2; default: return nil }
        switch ac { case "L": acW = 0.77; case "H": acW = 0.44; default: return nil }
        switch pr {
        case "N": prW = 0.85
        case "L": prW = changed ? 0.68 : 0.62
        case "H": prW = changed ? 0.5 : 0.27
        default: return nil
        }
        switch ui { case "N": uiW = 0.85; case "R": uiW = 0.62; default: return nil }
        func cia(_ v: Substring) -> Double? {
            switch v { case "H": return 0.56; case "L": return 0.22; case "N": return 0; default: return nil }
        }
        guard let cW = cia(c), let iW = cia(i), let aW = cia(a) else { return nil }
        let iss = 1 - (1 - cW) * (1 - iW) * (1 - aW)
        let impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss
        let exploitability = 8.22 * avW * acW * prW * uiW
        guard impact > 0 else { return 0 }
        let raw = changed ? min(1.08 * (impact + exploitability), 10) : min(impact + exploitability, 10)
        return head == "CVSS:3.1" ? roundUp31(raw) : (ceil(raw * 10) / 10)
    }

    /// CVSS v3.1 Appendix A `Roundup`: smallest one-decimal number >= input, float-safe.
    static func roundUp31(_ value: Double) -> Double {
        let scaled = Int((value * 100_000).rounded())
        if scaled % 10_000 == 0 { return Double(scaled) / 100_000 }
        return Double(scaled / 10_000 + 1) / 10
    }
}
