/// NuGet version ordering: up to four numeric parts (missing ones are 0), SemVer 2.0 prerelease
/// precedence compared case-insensitively, build metadata ignored.
public struct NuGetVersionComparator: VersionComparator {
    public init() {}

    static func parse(_ raw: String) -> (numbers: [Substring], prerelease: [Substring]) {
        var s = Substring(raw.trimmingSpaces())
        if s.first == "v" || s.first == "V" { s = s.dropFirst() }
        if let plus = s.firstIndex(of: "+") { s = s[s.startIndex..<plus] }
        var pre: [Substring] = []
        if let dash = s.firstIndex(of: "-") {
            pre = s[s.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false)
            s = s[s.startIndex..<dash]
        }
        var numbers = s.split(separator: ".", omittingEmptySubsequences: false)
        while numbers.count < 4 { numbers.append("0") }
        return (numbers, pre)
    }

    public func compare(_ lhs: String, _ rhs: String) -> VersionOrder {
        let a = Self.parse(lhs), b = Self.parse(rhs)
        for k in 0..<max(a.numbers.count, b.numbers.count) {
            let r = NumericText.compare(k < a.numbers.count ? a.numbers[k] : "0", k < b.numbers.count ? b.numbers[k] : "0")
            if r != 0 { return VersionOrder(sign: r) }
        }
        return VersionOrder(sign: SemanticVersionComparator.comparePrerelease(a.prerelease, b.prerelease, caseInsensitive: true))
    }

    public func isValid(_ version: String) -> Bool {
        let p = Self.parse(version)
        return p.numbers.count <= 4 && p.numbers.allSatisfy { NumericText.isDigits($0.utf8) }
            && p.prerelease.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(SemanticVersionComparator.isIdentifierByte) }
    }
}
