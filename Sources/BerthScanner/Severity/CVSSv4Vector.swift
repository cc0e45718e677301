/// A parsed, validated CVSS v4.0 vector (`CVSS:4.0/AV:N/AC:L/…`), with the spec's effective-value rules.
public struct CVSSv4Vector: Sendable, Hashable {
    /// Metric abbreviation → value, exactly as written (metrics not written are absent).
    public let metrics: [String: String]

    /// Every metric in the order the specification requires, with its allowed values. The first
    /// eleven (the base metrics) are mandatory.
    static let grammar: [(name: String, values: Set<String>)] = [
        ("AV", ["N", "A", "L", "P"]), ("AC", ["L", "H"]), ("AT", ["N", "P"]), ("PR", ["N", "L", "H"]),
        ("UI", ["N", "P", "A"]), ("VC", ["H", "L", "N"]), ("VI", ["H", "L", "N"]), ("VA", ["H", "L", "N"]),
        ("SC", ["H", "L", "N"]), ("SI", ["H", "L", "N"]), ("SA", ["H", "L", "N"]),
        ("E", ["X", "A", "P", "U"]),
        ("CR", ["X", "H", "M", "L"]), ("IR", ["X", "H", "M", "L"]), ("AR", ["X", "H", "M", "L"]),
        ("MAV", ["X", "N", "A", "L", "P"]), ("MAC", ["X", "L", "H"]), ("MAT", ["X", "N", "P"]),
        ("MPR", ["X", "N", "L", "H"]), ("MUI", ["X", "N", "P", "A"]),
        ("MVC", ["X", "H", "L", "N"]), ("MVI", ["X", "H", "L", "N"]), ("MVA", ["X", "H", "L", "N"]),
        ("MSC", ["X", "H", "L", "N"]), ("MSI", ["X", "S", "H", "L", "N"]), ("MSA", ["X", "S", "H", "L", "N"]),
        ("S", ["X", "N", "P"]), ("AU", ["X", "N", "Y"]), ("R", ["X", "A", "U", "I"]), ("V", ["X", "D", "C"]),
        ("RE", ["X", "L", "M", "H"]), ("U", ["X", "Clear", "Green", "Amber", "Red"]),
    ]
    static let baseCount = 11

    /// Parses a vector; nil unless it starts with `CVSS:4.0`, has all base metrics, lists metrics in the
    /// specification's order without repeats, and uses only allowed values.
    public init?(_ string: String) {
        let parts = string.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.first == "CVSS:4.0", parts.count > Self.baseCount else { return nil }
        var metrics: [String: String] = [:]
        var index = 0
        for part in parts.dropFirst() {
            let kv = part.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2 else { return nil }
            let name = String(kv[0]), value = String(kv[1])
            while index < Self.grammar.count && Self.grammar[index].name != name {
                if index < Self.baseCount { return nil }   // a mandatory base metric is missing
                index += 1
            }
            guard index < Self.grammar.count, Self.grammar[index].values.contains(value) else { return nil }
            metrics[name] = value
            index += 1
        }
        guard index >= Self.baseCount else { return nil }
        self.metrics = metrics
    }

    /// The value scoring uses: `E`, `CR`, `IR`, `AR` not defined mean their worst case (`A`, `H`);
    /// a defined modified metric (`MAV`, …) replaces its base metric.
    public func effective(_ name: String) -> String {
        let own = metrics[name] ?? "X"
        if own == "X" {
            switch name {
            case "E": return "A"
            case "CR", "IR", "AR": return "H"
            default: break
            }
        }
        if let modified = metrics["M" + name], modified != "X" { return modified }
        return own
    }

    /// `CVSS-B`, `CVSS-BT`, `CVSS-BE` or `CVSS-BTE`, after the metric groups given with a value other than X.
    public var nomenclature: String {
        let defined = { (name: String) in (metrics[name] ?? "X") != "X" }
        let threat = defined("E")
        let environmental = Self.grammar[12..<26].contains { defined($0.name) }
        return "CVSS-B" + (threat ? "T" : "") + (environmental ? "E" : "")
    }

    /// The six equivalence-class digits (EQ1…EQ6) naming this vector's macrovector.
    public var macroVector: [Int] {
        let av = effective("AV"), pr = effective("PR"), ui = effective("UI")
        let eq1: Int
        if av == "N" && pr == "N" && ui == "N" { eq1 = 0 }
        else if (av == "N" || pr == "N" || ui == "N") && av != "P" { eq1 = 1 }
        else { eq1 = 2 }
        let eq2 = effective("AC") == "L" && effective("AT") == "N" ? 0 : 1
        let vc = effective("VC"), vi = effective("VI"), va = effective("VA")
        let eq3: Int
        if vc == "H" && vi == "H" { eq3 = 0 }
        else if vc == "H" || vi == "H" || va == "H" { eq3 = 1 }
        else { eq3 = 2 }
        let eq4: Int
        if effective("MSI") == "S" || effective("MSA") == "S" { eq4 = 0 }
        else if effective("SC") == "H" || effective("SI") == "H" || effective("SA") == "H" { eq4 = 1 }
        else { eq4 = 2 }
        let eq5: Int
        switch effective("E") { case "A": eq5 = 0; case "P": eq5 = 1; default: eq5 = 2 }
        let eq6 = (effective("CR") == "H" && vc == "H") || (effective("IR") == "H" && vi == "H")
            || (effective("AR") == "H" && va == "H") ? 0 : 1
        return [eq1, eq2, eq3, eq4, eq5, eq6]
    }
}
