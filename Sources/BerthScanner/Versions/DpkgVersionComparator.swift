/// Debian package version ordering (`[epoch:]upstream[-revision]`), as `dpkg --compare-versions` does.
///
/// Parsing is lenient for `compare` (a missing or empty part compares as empty), strict for `isValid`.
public struct DpkgVersionComparator: VersionComparator {
    public init() {}

    struct Parts {
        var epoch: ArraySlice<UInt8>
        var upstream: ArraySlice<UInt8>
        var revision: ArraySlice<UInt8>
    }

    static func split(_ version: String) -> Parts {
        var bytes = Array(version.utf8)[...]
        while let f = bytes.first, f == 32 || f == 9 { bytes = bytes.dropFirst() }
        while let l = bytes.last, l == 32 || l == 9 { bytes = bytes.dropLast() }
        var epoch: ArraySlice<UInt8> = []
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            epoch = bytes[bytes.startIndex..<colon]
            bytes = bytes[(colon + 1)...]
        }
        var revision: ArraySlice<UInt8> = []
        if let dash = bytes.lastIndex(of: UInt8(ascii: "-")) {
            revision = bytes[(dash + 1)...]
            bytes = bytes[bytes.startIndex..<dash]
        }
        return Parts(epoch: epoch, upstream: bytes, revision: revision)
    }

    public func compare(_ lhs: String, _ rhs: String) -> VersionOrder {
        if lhs == rhs { return .equal }
        let a = Self.split(lhs), b = Self.split(rhs)
        let e = NumericText.compare(a.epoch, b.epoch)
        if e != 0 { return VersionOrder(sign: e) }
        let u = Self.verrevcmp(a.upstream, b.upstream)
        if u != 0 { return VersionOrder(sign: u) }
        return VersionOrder(sign: Self.verrevcmp(a.revision, b.revision))
    }

    public func isValid(_ version: String) -> Bool {
        let p = Self.split(version)
        if version.utf8.contains(UInt8(ascii: ":")) && !NumericText.isDigits(p.epoch) { return false }
        guard let first = p.upstream.first, NumericText.isDigit(first) else { return false }
        if version.utf8.contains(UInt8(ascii: "-")) && p.revision.isEmpty { return false }
        let upstreamOK = p.upstream.allSatisfy { NumericText.isAlnum($0) || ".+~-".utf8.contains($0) }
        let revisionOK = p.revision.allSatisfy { NumericText.isAlnum($0) || ".+~".utf8.contains($0) }
        return upstreamOK && revisionOK
    }

    @inline(__always)
    static func order(_ c: UInt8?) -> Int {
        guard let c else { return 0 }
        if NumericText.isDigit(c) { return 0 }
        if NumericText.isAlpha(c) { return Int(c) }
        if c == UInt8(ascii: "~") { return -1 }
        return Int(c) + 256
    }

    /// dpkg's `verrevcmp`: alternating non-digit runs (by `order`) and digit runs (numerically).
    static func verrevcmp(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
        var i = a.startIndex, j = b.startIndex
        func at(_ s: ArraySlice<UInt8>, _ k: Int) -> UInt8? { k < s.endIndex ? s[k] : nil }
        while i < a.endIndex || j < b.endIndex {
            var firstDiff = 0
            while (at(a, i).map { !NumericText.isDigit($0) } ?? false) || (at(b, j).map { !NumericText.isDigit($0) } ?? false) {
                let ac = order(at(a, i)), bc = order(at(b, j))
                if ac != bc { return ac - bc }
                i += 1; j += 1
            }
            while at(a, i) == UInt8(ascii: "0") { i += 1 }
            while at(b, j) == UInt8(ascii: "0") { j += 1 }
            while let x = at(a, i), let y = at(b, j), NumericText.isDigit(x), NumericText.isDigit(y) {
                if firstDiff == 0 { firstDiff = Int(x) - Int(y) }
                i += 1; j += 1
            }
            if let x = at(a, i), NumericText.isDigit(x) { return 1 }
            if let y = at(b, j), NumericText.isDigit(y) { return -1 }
            if firstDiff != 0 { return firstDiff }
        }
        return 0
    }
}
