/// RPM version ordering: `rpmvercmp` for a bare string, or `[epoch:]version[-release]` labels.
///
/// With `labels` on (the default, used for Red Hat family advisories) the epoch, version and
/// release are split and compared in turn; otherwise the whole string goes through `rpmvercmp`.
public struct RPMVersionComparator: VersionComparator {
    /// Whether strings are `[epoch:]version[-release]` labels rather than bare version fields.
    public let labels: Bool

    public init(labels: Bool = true) { self.labels = labels }

    public func compare(_ lhs: String, _ rhs: String) -> VersionOrder {
        guard labels else { return VersionOrder(sign: Self.rpmvercmp(Array(lhs.utf8)[...], Array(rhs.utf8)[...])) }
        let a = Self.label(lhs), b = Self.label(rhs)
        var r = Self.rpmvercmp(a.epoch, b.epoch)
        if r == 0 { r = Self.rpmvercmp(a.version, b.version) }
        if r == 0 {
            // A label with a release (even an empty one) sorts after the same label without one.
            switch (a.release, b.release) {
            case let (x?, y?): r = Self.rpmvercmp(x, y)
            case (nil, nil): r = 0
            case (nil, _?): r = -1
            case (_?, nil): r = 1
            }
        }
        return VersionOrder(sign: r)
    }

    public func isValid(_ version: String) -> Bool {
        let l = Self.label(version)
        return !l.version.isEmpty && NumericText.isDigits(l.epoch)
            && version.utf8.allSatisfy { $0 > 32 && $0 < 127 }
    }

    static func label(_ s: String) -> (epoch: ArraySlice<UInt8>, version: ArraySlice<UInt8>, release: ArraySlice<UInt8>?) {
        var bytes = Array(s.utf8)[...]
        var epoch: ArraySlice<UInt8> = Array("0".utf8)[...]
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            let e = bytes[bytes.startIndex..<colon]
            if !e.isEmpty { epoch = e }
            bytes = bytes[(colon + 1)...]
        }
        var release: ArraySlice<UInt8>?
        if let dash = bytes.lastIndex(of: UInt8(ascii: "-")) {
            release = bytes[(dash + 1)...]
            bytes = bytes[bytes.startIndex..<dash]
        }
        return (epoch, bytes, release)
    }

    /// rpm's segment comparison, including `~` (sorts before anything) and `^` (after the base, before more).
    static func rpmvercmp(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
        if a == b { return 0 }
        let tilde = UInt8(ascii: "~"), caret = UInt8(ascii: "^")
        var i = a.startIndex, j = b.startIndex
        func isSep(_ c: UInt8) -> Bool { !NumericText.isAlnum(c) && c != tilde && c != caret }
        while i < a.endIndex || j < b.endIndex {
            while i < a.endIndex && isSep(a[i]) { i += 1 }
            while j < b.endIndex && isSep(b[j]) { j += 1 }
            let ca: UInt8? = i < a.endIndex ? a[i] : nil
            let cb: UInt8? = j < b.endIndex ? b[j] : nil
            if ca == tilde || cb == tilde {
                if ca != tilde { return 1 }
                if cb != tilde { return -1 }
                i += 1; j += 1; continue
            }
            if ca == caret || cb == caret {
                if ca == nil { return -1 }
                if cb == nil { return 1 }
                if ca != caret { return 1 }
                if cb != caret { return -1 }
                i += 1; j += 1; continue
            }
            guard let ca, cb != nil else { break }
            let numeric = NumericText.isDigit(ca)
            let si = i, sj = j
            while i < a.endIndex && (numeric ? NumericText.isDigit(a[i]) : NumericText.isAlpha(a[i])) { i += 1 }
            while j < b.endIndex && (numeric ? NumericText.isDigit(b[j]) : NumericText.isAlpha(b[j])) { j += 1 }
            if j == sj { return numeric ? 1 : -1 }
            let r: Int
            if numeric {
                r = NumericText.compare(a[si..<i], b[sj..<j])
            } else {
                r = NumericText.compareBytes(a[si..<i], b[sj..<j])
            }
            if r != 0 { return r }
        }
        if i >= a.endIndex && j >= b.endIndex { return 0 }
        return i < a.endIndex ? 1 : -1
    }
}
