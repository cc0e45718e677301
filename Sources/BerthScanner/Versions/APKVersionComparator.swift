/// Alpine `apk` version ordering and validation:
/// `digits{.digits}[letter]{_suffix[digits]}[~commithash][-rN]`.
///
/// Suffixes `alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p`. A numeric component after a
/// dot with a leading zero compares as text. `fuzzyEqual` is apk's `~` operator (prefix match).
public struct APKVersionComparator: VersionComparator {
    /// Which apk-tools generation's ordering to follow; they differ only on invalid version strings.
    public enum Dialect: Sendable {
        /// apk-tools 3 (the default): strict tokens, commit hashes, invalid tails sort by token order.
        case apkTools3
        /// apk-tools 2.x: compares up to the first invalid token, `-r` alone is revision 0.
        case apkTools2
    }

    /// The ordering followed.
    public let dialect: Dialect

    public init(dialect: Dialect = .apkTools3) { self.dialect = dialect }

    enum Token: Int, Comparable {
        case initialDigit, digit, letter, suffix, suffixNumber, commitHash, revision, end, invalid
        static func < (a: Token, b: Token) -> Bool { a.rawValue < b.rawValue }
    }

    static let suffixes = ["alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"]
    static let noSuffix = 4

    /// Index in `suffixes`, or nil for an unknown (invalid) suffix.
    static func suffixValue(_ s: ArraySlice<UInt8>) -> Int? {
        guard !s.isEmpty else { return nil }
        return suffixes.firstIndex { $0.utf8.elementsEqual(s) }
    }

    /// Walks the tokens of one version string.
    struct Tokenizer {
        let bytes: [UInt8]
        var pos = 0
        var token: Token = .initialDigit
        var value: ArraySlice<UInt8> = []

        init(_ s: String) {
            bytes = Array(s.utf8)
            while pos < bytes.count && NumericText.isDigit(bytes[pos]) { pos += 1 }
            token = pos > 0 ? .initialDigit : .invalid
            value = bytes[0..<pos]
        }

        private mutating func digits() -> Bool {
            let start = pos
            while pos < bytes.count && NumericText.isDigit(bytes[pos]) { pos += 1 }
            value = bytes[start..<pos]
            return pos > start
        }

        mutating func next() {
            guard pos < bytes.count else { token = .end; return }
            let c = bytes[pos]
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z") where token <= .digit:
                value = bytes[pos..<(pos + 1)]; pos += 1; token = .letter
            case UInt8(ascii: "."):
                guard token <= .digit else { token = .invalid; return }
                pos += 1
                token = digits() ? .digit : .invalid
            case UInt8(ascii: "_"):
                guard token <= .suffixNumber else { token = .invalid; return }
                pos += 1
                let start = pos
                while pos < bytes.count && NumericText.isLower(bytes[pos]) { pos += 1 }
                value = bytes[start..<pos]
                token = APKVersionComparator.suffixValue(value) == nil ? .invalid : .suffix
            case UInt8(ascii: "0")...UInt8(ascii: "9") where token == .suffix:
                _ = digits(); token = .suffixNumber
            case UInt8(ascii: "~"):
                guard token < .commitHash else { token = .invalid; return }
                pos += 1
                let start = pos
                while pos < bytes.count && (NumericText.isDigit(bytes[pos]) || (bytes[pos] >= 97 && bytes[pos] <= 102)) { pos += 1 }
                value = bytes[start..<pos]
                token = pos > start ? .commitHash : .invalid
            case UInt8(ascii: "-"):
                guard token < .revision, pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "r") else {
                    token = .invalid; return
                }
                pos += 2
                token = digits() ? .revision : .invalid
            default:
                token = .invalid
            }
        }
    }

    static func compareValues(_ a: Tokenizer, _ b: Tokenizer) -> Int {
        switch a.token {
        case .digit:
            if a.value.first == UInt8(ascii: "0") || b.value.first == UInt8(ascii: "0") {
                return NumericText.compareBytes(a.value, b.value)
            }
            return NumericText.compare(a.value, b.value)
        case .initialDigit, .suffixNumber, .revision:
            return NumericText.compare(a.value, b.value)
        case .letter, .commitHash:
            return NumericText.compareBytes(a.value, b.value)
        case .suffix:
            return (suffixValue(a.value) ?? -1) - (suffixValue(b.value) ?? -1)
        default:
            return 0
        }
    }

    /// apk's comparison; with `fuzzy`, `lhs` equals `rhs` when `rhs` is a prefix of it by components.
    public func compare(_ lhs: String, _ rhs: String, fuzzy: Bool) -> VersionOrder {
        if dialect == .apkTools2 { return APKLegacyVersionOrder.compare(lhs, rhs, fuzzy: fuzzy) }
        var a = Tokenizer(lhs), b = Tokenizer(rhs)
        while a.token == b.token && a.token < .end {
            let r = Self.compareValues(a, b)
            if r != 0 { return VersionOrder(sign: r) }
            a.next(); b.next()
        }
        if a.token == b.token { return .equal }
        if fuzzy && b.token == .end { return .equal }
        if a.token == .suffix, let v = Self.suffixValue(a.value), v < Self.noSuffix { return .less }
        if b.token == .suffix, let v = Self.suffixValue(b.value), v < Self.noSuffix { return .greater }
        if a.token > b.token { return .less }
        if b.token > a.token { return .greater }
        return .equal
    }

    public func compare(_ lhs: String, _ rhs: String) -> VersionOrder {
        lhs == rhs ? .equal : compare(lhs, rhs, fuzzy: false)
    }

    /// apk's `~` operator: equal when compared with prefix matching.
    public func fuzzyEqual(_ lhs: String, _ rhs: String) -> Bool { compare(lhs, rhs, fuzzy: true) == .equal }

    public func isValid(_ version: String) -> Bool {
        var t = Tokenizer(version)
        while t.token < .end { t.next() }
        return t.token == .end
    }
}
