/// Helpers for comparing runs of ASCII digits of any length without overflow.
enum NumericText {
    /// Compares two digit sequences numerically (leading zeros ignored).
    static func compare(_ lhs: ArraySlice<UInt8>, _ rhs: ArraySlice<UInt8>) -> Int {
        let a = lhs.drop { $0 == UInt8(ascii: "0") }
        let b = rhs.drop { $0 == UInt8(ascii: "0") }
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return 0
    }

    /// Compares two digit strings numerically (leading zeros ignored).
    static func compare(_ lhs: Substring, _ rhs: Substring) -> Int {
        compare(Array(lhs.utf8)[...], Array(rhs.utf8)[...])
    }

    /// Whether every byte is an ASCII digit (and there is at least one).
    static func isDigits<S: Sequence>(_ bytes: S) -> Bool where S.Element == UInt8 {
        var any = false
        for b in bytes {
            guard isDigit(b) else { return false }
            any = true
        }
        return any
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b >= 97 && b <= 122 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { isLower(b) || isUpper(b) }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) }

    /// ASCII lowercase of a byte.
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { isUpper(b) ? b + 32 : b }

    /// Byte-wise lexicographic comparison.
    static func compareBytes<A: Collection, B: Collection>(_ a: A, _ b: B) -> Int
    where A.Element == UInt8, B.Element == UInt8 {
        var i = a.makeIterator(), j = b.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case let (x?, y?): if x != y { return x < y ? -1 : 1 }
            }
        }
    }
}
