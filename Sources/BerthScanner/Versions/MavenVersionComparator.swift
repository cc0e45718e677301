/// Maven version ordering per the POM "Version Order Specification" (`ComparableVersion`):
/// tokens split on `.`, `-` and digit/letter transitions (a transition counts as `-`), trailing
/// null tokens (`0`, `""`, `final`, `ga`, `release`) trimmed at the end and before every `-`, and
/// tokens compared as `.qualifier = -qualifier < -number < .number`, with known qualifiers ordered
/// `alpha < beta < milestone < rc = cr < snapshot < "" = final = ga < sp` before unknown ones.
public struct MavenVersionComparator: VersionComparator {
    public init() {}

    public func compare(_ lhs: String, _ rhs: String) -> VersionOrder {
        if lhs == rhs { return .equal }
        let a = MavenToken.parse(lhs), b = MavenToken.parse(rhs)
        for k in 0..<max(a.count, b.count) {
            let x = k < a.count ? a[k] : b[k].nullPadding
            let y = k < b.count ? b[k] : a[k].nullPadding
            let r = x.compare(y)
            if r != 0 { return VersionOrder(sign: r) }
        }
        return .equal
    }

    public func isValid(_ version: String) -> Bool {
        !version.isEmpty && version.utf8.allSatisfy { $0 > 32 && $0 < 127 }
    }
}

/// One token of a Maven version: its separator (`.` or `-`) and a number or a qualifier.
struct MavenToken {
    var hyphen: Bool
    var number: Substring?
    var qualifier: String

    static let known = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"]

    var isNull: Bool { number.map { $0 == "0" } ?? qualifier.isEmpty }

    /// The null value that pads a shorter version, with this token's separator and kind.
    var nullPadding: MavenToken { MavenToken(hyphen: hyphen, number: number == nil ? nil : "0", qualifier: "") }

    static func make(_ text: Substring, hyphen: Bool, followedByDigit: Bool) -> MavenToken {
        if text.isEmpty { return MavenToken(hyphen: hyphen, number: "0", qualifier: "") }
        if text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            let stripped = text.drop { $0 == "0" }
            return MavenToken(hyphen: hyphen, number: stripped.isEmpty ? "0" : stripped, qualifier: "")
        }
        var q = String(text)
        if followedByDigit && q.count == 1 {
            switch q {
            case "a": q = "alpha"
            case "b": q = "beta"
            case "m": q = "milestone"
            default: break
            }
        }
        switch q {
        case "ga", "final", "release": q = ""
        case "cr": q = "rc"
        default: break
        }
        return MavenToken(hyphen: hyphen, number: nil, qualifier: q)
    }

    static func parse(_ version: String) -> [MavenToken] {
        let v = Substring(version.lowercased())
        var tokens: [MavenToken] = []
        var start = v.startIndex
        var hyphen = false
        var i = v.startIndex
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        while i < v.endIndex {
            let c = v[i]
            if c == "." || c == "-" {
                tokens.append(make(v[start..<i], hyphen: hyphen, followedByDigit: false))
                hyphen = c == "-"
                start = v.index(after: i)
            } else if i > start, isDigit(c) != isDigit(v[v.index(before: i)]) {
                tokens.append(make(v[start..<i], hyphen: hyphen, followedByDigit: isDigit(c)))
                hyphen = true
                start = i
            }
            i = v.index(after: i)
        }
        tokens.append(make(v[start...], hyphen: hyphen, followedByDigit: false))
        return trimmed(tokens)
    }

    /// Removes null tokens at the end and, repeatedly, right before each hyphen.
    static func trimmed(_ input: [MavenToken]) -> [MavenToken] {
        var tokens = input
        while tokens.count > 1, tokens.last!.isNull { tokens.removeLast() }
        var k = tokens.count - 1
        while k > 0 {
            if tokens[k].hyphen {
                while k > 1, tokens[k - 1].isNull {
                    tokens.remove(at: k - 1)
                    k -= 1
                }
            }
            k -= 1
        }
        return tokens
    }

    /// Rank of a known qualifier, or nil for an unknown one.
    static func rank(_ q: String) -> Int? { known.firstIndex(of: q) }

    func compare(_ other: MavenToken) -> Int {
        switch (number, other.number) {
        case let (m?, n?):
            if hyphen != other.hyphen { return hyphen ? -1 : 1 }
            return NumericText.compare(m, n)
        case (nil, _?): return -1
        case (_?, nil): return 1
        case (nil, nil):
            switch (Self.rank(qualifier), Self.rank(other.qualifier)) {
            case let (x?, y?): return x == y ? 0 : (x < y ? -1 : 1)
            case (_?, nil): return -1
            case (nil, _?): return 1
            case (nil, nil): return qualifier == other.qualifier ? 0 : (qualifier < other.qualifier ? -1 : 1)
            }
        }
    }
}
