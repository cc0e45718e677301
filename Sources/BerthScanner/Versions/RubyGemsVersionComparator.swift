/// RubyGems version ordering (`Gem::Version#<=>`): segments of digits or letters, `-` read as
/// `.pre.`, trailing zeros of the numeric and string parts dropped, strings before numbers.
public struct RubyGemsVersionComparator: VersionComparator {
    public init() {}

    enum Segment: Equatable {
        case number(Substring)
        case text(Substring)
    }

    static func segments(_ version: String) -> [Segment] {
        let v = version.trimmingSpaces().replacingDashes()
        var out: [Segment] = []
        let bytes = Array(v.utf8)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if NumericText.isDigit(c) {
                var j = i
                while j < bytes.count && NumericText.isDigit(bytes[j]) { j += 1 }
                let digits = Substring(String(decoding: bytes[i..<j], as: UTF8.self)).drop { $0 == "0" }
                out.append(.number(digits.isEmpty ? "0" : digits)); i = j
            } else if NumericText.isAlpha(c) {
                var j = i
                while j < bytes.count && NumericText.isAlpha(bytes[j]) { j += 1 }
                out.append(.text(Substring(String(decoding: bytes[i..<j], as: UTF8.self)))); i = j
            } else {
                i += 1
            }
        }
        return out
    }

    /// `canonical_segments`: drop trailing zeros from the numeric head and from the rest.
    static func canonical(_ segs: [Segment]) -> [Segment] {
        let split = segs.firstIndex { if case .text = $0 { return true }; return false } ?? segs.count
        func trimmed(_ part: ArraySlice<Segment>) -> [Segment] {
            var p = Array(part)
            while p.last == .number("0") { p.removeLast() }
            return p
        }
        return trimmed(segs[..<split]) + trimmed(segs[split...])
    }

    public func compare(_ lhs: String, _ rhs: String) -> VersionOrder {
        if lhs == rhs { return .equal }
        let a = Self.canonical(Self.segments(lhs)), b = Self.canonical(Self.segments(rhs))
        for k in 0..<max(a.count, b.count) {
            let x = k < a.count ? a[k] : .number("0"), y = k < b.count ? b[k] : .number("0")
            if x == y { continue }
            switch (x, y) {
            case (.text, .number): return .less
            case (.number, .text): return .greater
            case let (.number(m), .number(n)): return VersionOrder(sign: NumericText.compare(m, n))
            case let (.text(s), .text(t)): return VersionOrder(sign: NumericText.compareBytes(s.utf8, t.utf8))
            }
        }
        return .equal
    }

    /// `Gem::Version#bump`, the upper bound of `~> version`: drop prerelease parts and the last
    /// remaining segment (when more than one), then increment the new last segment.
    public static func bump(_ version: String) -> String {
        var numbers: [Substring] = []
        for s in segments(version) {
            guard case .number(let n) = s else { break }
            numbers.append(n)
        }
        if numbers.count > 1 { numbers.removeLast() }
        guard let last = numbers.popLast() else { return "1" }
        return (numbers.map(String.init) + [increment(last)]).joined(separator: ".")
    }

    /// Adds one to a decimal digit string of any length.
    static func increment(_ digits: Substring) -> String {
        var bytes = Array(digits.utf8)
        var k = bytes.count - 1
        while k >= 0 {
            if bytes[k] == UInt8(ascii: "9") { bytes[k] = UInt8(ascii: "0"); k -= 1; continue }
            bytes[k] += 1
            return String(decoding: bytes, as: UTF8.self)
        }
        return "1" + String(decoding: bytes, as: UTF8.self)
    }

    public func isValid(_ version: String) -> Bool {
        // Gem::Version::PATTERN: [0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?
        let v = version.trimmingSpaces()
        guard let first = v.utf8.first, NumericText.isDigit(first) else { return false }
        var body = Substring(v)
        if let dash = body.firstIndex(of: "-") {
            let pre = body[body.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false)
            guard pre.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { NumericText.isAlnum($0) || $0 == UInt8(ascii: "-") } })
            else { return false }
            body = body[body.startIndex..<dash]
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(NumericText.isAlnum) }
            && NumericText.isDigits(parts[0].utf8)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }

    fileprivate func replacingDashes() -> String {
        guard contains("-") else { return self }
        return split(separator: "-", omittingEmptySubsequences: false).joined(separator: ".pre.")
    }
}
