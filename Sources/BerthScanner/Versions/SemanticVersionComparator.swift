/// Semantic Versioning 2.0 ordering, used for npm, crates.io, Go and OSV `SEMVER` ranges.
///
/// Tolerates a leading `v`, missing minor/patch components (as 0), and numbers of any size;
/// anything after `+` is build metadata and ignored. Components past the third count as build data.
public struct SemanticVersionComparator: VersionComparator {
    public init() {}

    struct Parsed {
        var core: [Substring]
        var prerelease: [Substring]
    }

    static func parse(_ raw: String) -> Parsed {
        var s = Substring(raw)
        if s.first == "v" || s.first == "V" { s = s.dropFirst() }
        if let plus = s.firstIndex(of: "+") { s = s[s.startIndex..<plus] }
        var pre: [Substring] = []
        // The core ends at the first character that is neither a digit nor a dot.
        let coreEnd = s.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? s.endIndex
        let rest = s[coreEnd...]
        if rest.first == "-" {
            pre = rest.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        } else if !rest.isEmpty {
            pre = rest.split(separator: ".", omittingEmptySubsequences: false)
        }
        var core = Array(s[s.startIndex..<coreEnd].split(separator: ".", omittingEmptySubsequences: false).prefix(3))
        while core.count < 3 { core.append("0") }
        return Parsed(core: core, prerelease: pre)
    }

    public func compare(_ lhs: String, _ rhs: String) -> VersionOrder {
        if lhs == rhs { return .equal }
        let a = Self.parse(lhs), b = Self.parse(rhs)
        for k in 0..<3 {
            let r = NumericText.compare(a.core[k], b.core[k])
            if r != 0 { return VersionOrder(sign: r) }
        }
        return VersionOrder(sign: Self.comparePrerelease(a.prerelease, b.prerelease, caseInsensitive: false))
    }

    /// SemVer §11 precedence of dot-separated prerelease identifiers (an empty list is a release).
    static func comparePrerelease(_ a: [Substring], _ b: [Substring], caseInsensitive: Bool) -> Int {
        if a.isEmpty || b.isEmpty { return a.isEmpty == b.isEmpty ? 0 : (a.isEmpty ? 1 : -1) }
        for (x, y) in zip(a, b) {
            let xn = NumericText.isDigits(x.utf8), yn = NumericText.isDigits(y.utf8)
            let r: Int
            switch (xn, yn) {
            case (true, true): r = NumericText.compare(x, y)
            case (true, false): r = -1
            case (false, true): r = 1
            case (false, false):
                r = caseInsensitive
                    ? NumericText.compareBytes(x.utf8.lazy.map(NumericText.lower), y.utf8.lazy.map(NumericText.lower))
                    : NumericText.compareBytes(x.utf8, y.utf8)
            }
            if r != 0 { return r }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    public func isValid(_ version: String) -> Bool {
        Self.isStrict(version.first == "v" ? String(version.dropFirst()) : version)
    }

    /// Strict SemVer 2.0 grammar (no `v`).
    static func isStrict(_ s: String) -> Bool {
        var body = Substring(s)
        if let plus = body.firstIndex(of: "+") {
            let build = body[body.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false)
            guard !build.isEmpty, build.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isIdentifierByte) }) else { return false }
            body = body[body.startIndex..<plus]
        }
        var pre: Substring?
        if let dash = body.firstIndex(of: "-") {
            pre = body[body.index(after: dash)...]
            body = body[body.startIndex..<dash]
        }
        let core = body.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3, core.allSatisfy({ NumericText.isDigits($0.utf8) && ($0 == "0" || $0.first != "0") })
        else { return false }
        if let pre {
            let ids = pre.split(separator: ".", omittingEmptySubsequences: false)
            for id in ids {
                guard !id.isEmpty, id.utf8.allSatisfy(isIdentifierByte) else { return false }
                if NumericText.isDigits(id.utf8) && id.count > 1 && id.first == "0" { return false }
            }
        }
        return true
    }

    static func isIdentifierByte(_ b: UInt8) -> Bool { NumericText.isAlnum(b) || b == UInt8(ascii: "-") }
}

/// Go module version ordering: SemVer with the required `v` prefix tolerated either way,
/// `+incompatible` ignored, and pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`) ordered
/// as the prereleases they are.
public struct GoVersionComparator: VersionComparator {
    public init() {}
    private let semver = SemanticVersionComparator()

    public func compare(_ lhs: String, _ rhs: String) -> VersionOrder { semver.compare(lhs, rhs) }

    public func isValid(_ version: String) -> Bool {
        let v = version.hasPrefix("v") ? String(version.dropFirst()) : version
        if v.hasSuffix("+incompatible") { return SemanticVersionComparator.isStrict(String(v.dropLast(13))) }
        return SemanticVersionComparator.isStrict(v) && !v.contains("+")
    }
}
