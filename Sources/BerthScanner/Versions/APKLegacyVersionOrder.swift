/// apk-tools 2.x version comparison (the tokenizer of Alpine releases up to 3.22), kept because it
/// orders *invalid* version strings differently from apk-tools 3: it compares up to the first invalid
/// token, reads `-r` without digits as revision 0, and lets a letter be followed by digits.
enum APKLegacyVersionOrder {
    enum Token: Int {
        case invalid = -1, digitOrZero = 0, digit, letter, suffix, suffixNumber, revision, end
    }

    static let preSuffixes = ["alpha", "beta", "pre", "rc"]
    static let postSuffixes = ["cvs", "svn", "git", "hg", "p"]

    /// A cursor over one version string.
    struct Cursor {
        let bytes: [UInt8]
        var pos = 0
        var remaining: Int { bytes.count - pos }

        mutating func nextToken(_ type: inout Token) {
            var n = Token.invalid
            if remaining == 0 || bytes[pos] == 0 {
                n = .end
            } else if (type == .digit || type == .digitOrZero) && NumericText.isLower(bytes[pos]) {
                n = .letter
            } else if type == .letter && NumericText.isDigit(bytes[pos]) {
                n = .digit
            } else if type == .suffix && NumericText.isDigit(bytes[pos]) {
                n = .suffixNumber
            } else {
                switch bytes[pos] {
                case UInt8(ascii: "."): n = .digitOrZero
                case UInt8(ascii: "_"): n = .suffix
                case UInt8(ascii: "-"):
                    if remaining > 1 && bytes[pos + 1] == UInt8(ascii: "r") {
                        n = .revision
                        pos += 1
                    }
                default: break
                }
                pos += 1
            }
            if n.rawValue < type.rawValue {
                let allowed = (n == .digitOrZero && type == .digit) || (n == .suffix && type == .suffixNumber)
                    || (n == .digit && type == .letter)
                if !allowed { n = .invalid }
            }
            type = n
        }

        /// Reads the value of a token of `type`; numbers saturate at `Int.max`.
        mutating func getToken(_ type: inout Token) -> Int {
            guard remaining > 0 else { type = .end; return 0 }
            var value = 0
            var i = 0
            var nextType: Token?
            switch type {
            case .digitOrZero where bytes[pos] == UInt8(ascii: "0"):
                while i < remaining && bytes[pos + i] == UInt8(ascii: "0") { i += 1 }
                nextType = .digit
                value = -i
            case .digitOrZero, .digit, .suffixNumber, .revision:
                while i < remaining && NumericText.isDigit(bytes[pos + i]) {
                    let (m, o1) = value.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = m.addingReportingOverflow(Int(bytes[pos + i] - 48))
                    value = (o1 || o2) ? Int.max : sum
                    i += 1
                }
            case .letter:
                value = Int(bytes[pos]); i = 1
            case .suffix:
                if let k = Self.match(APKLegacyVersionOrder.preSuffixes, bytes[pos...]) {
                    value = k - APKLegacyVersionOrder.preSuffixes.count
                    i = APKLegacyVersionOrder.preSuffixes[k].utf8.count
                } else if let k = Self.match(APKLegacyVersionOrder.postSuffixes, bytes[pos...]) {
                    value = k
                    i = APKLegacyVersionOrder.postSuffixes[k].utf8.count
                } else {
                    type = .invalid; return -1
                }
            default:
                type = .invalid; return -1
            }
            pos += i
            if remaining == 0 {
                type = .end
            } else if let nextType {
                type = nextType
            } else {
                nextToken(&type)
            }
            return value
        }

        static func match(_ words: [String], _ rest: ArraySlice<UInt8>) -> Int? {
            words.firstIndex { rest.starts(with: $0.utf8) }
        }
    }

    static func compare(_ lhs: String, _ rhs: String, fuzzy: Bool) -> VersionOrder {
        var a = Cursor(bytes: Array(lhs.utf8)), b = Cursor(bytes: Array(rhs.utf8))
        var at = Token.digit, bt = Token.digit
        var av = 0, bv = 0
        while at == bt && at != .end && at != .invalid && av == bv {
            av = a.getToken(&at)
            bv = b.getToken(&bt)
        }
        if av < bv { return .less }
        if av > bv { return .greater }
        if at == bt { return .equal }
        if fuzzy && bt == .end { return .equal }
        var tt = at
        if at == .suffix && a.getToken(&tt) < 0 { return .less }
        tt = bt
        if bt == .suffix && b.getToken(&tt) < 0 { return .greater }
        if at.rawValue > bt.rawValue { return .less }
        if bt.rawValue > at.rawValue { return .greater }
        return .equal
    }
}
