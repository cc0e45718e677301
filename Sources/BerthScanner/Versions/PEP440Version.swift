/// A parsed PEP 440 version: `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, with PEP 440's
/// normalisation (case, separators, spelling variants, implicit numbers).
struct PEP440Version {
    var epoch: Substring = "0"
    var release: [Substring] = []
    /// Pre-release: phase 0 = a, 1 = b, 2 = rc, with its number.
    var pre: (phase: Int, number: Substring)?
    var post: Substring?
    var dev: Substring?
    var local: [Substring]?

    init?(_ raw: String) {
        var s = Substring(raw.lowercased())
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        if s.first == "v" { s = s.dropFirst() }
        if let plus = s.firstIndex(of: "+") {
            let parts = s[s.index(after: plus)...].split(omittingEmptySubsequences: false) { "-_.".contains($0) }
            guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
            else { return nil }
            local = parts
            s = s[s.startIndex..<plus]
        }
        if let bang = s.firstIndex(of: "!") {
            let e = s[s.startIndex..<bang]
            guard NumericText.isDigits(e.utf8) else { return nil }
            epoch = e
            s = s[s.index(after: bang)...]
        }
        // Release: digits separated by dots.
        var scanner = PEP440Scanner(s)
        guard let first = scanner.digits() else { return nil }
        release.append(first)
        while scanner.peek(".") {
            var probe = scanner
            probe.advance()
            guard let n = probe.digits() else { break }
            release.append(n)
            scanner = probe
        }
        // Pre-release.
        var probe = scanner
        probe.separator()
        if let label = probe.word(["alpha", "a", "beta", "b", "preview", "pre", "rc", "c"]) {
            let phase = label.hasPrefix("a") ? 0 : (label.hasPrefix("b") ? 1 : 2)
            var num = probe
            num.separator()
            if let n = num.digits() { pre = (phase, n); probe = num } else { pre = (phase, "0") }
            scanner = probe
        }
        // Post-release: "-N" or [sep](post|rev|r)[sep][N].
        probe = scanner
        var dash = probe
        if dash.peek("-") { dash.advance() }
        if probe.peek("-"), let n = dash.digits() {
            post = n; scanner = dash
        } else {
            probe.separator()
            if probe.word(["post", "rev", "r"]) != nil {
                var num = probe
                num.separator()
                if let n = num.digits() { post = n; probe = num } else { post = "0" }
                scanner = probe
            }
        }
        // Development release.
        probe = scanner
        probe.separator()
        if probe.word(["dev"]) != nil {
            var num = probe
            num.separator()
            if let n = num.digits() { dev = n; probe = num } else { dev = "0" }
            scanner = probe
        }
        guard scanner.atEnd else { return nil }
    }

    /// `packaging`'s `_cmpkey` ordering.
    func compare(to other: PEP440Version) -> Int {
        var r = NumericText.compare(epoch, other.epoch)
        if r != 0 { return r }
        r = Self.compareRelease(release, other.release)
        if r != 0 { return r }
        r = Self.compareRank(preKey, other.preKey)
        if r != 0 { return r }
        r = Self.compareRank(postKey, other.postKey)
        if r != 0 { return r }
        r = Self.compareRank(devKey, other.devKey)
        if r != 0 { return r }
        return Self.compareLocal(local, other.local)
    }

    /// A sortable key: (rank, phase, number), rank -1 = -infinity, 1 = +infinity, 0 = a value.
    private var preKey: (Int, Int, Substring) {
        if let pre { return (0, pre.phase, pre.number) }
        if post == nil && dev != nil { return (-1, 0, "") }
        return (1, 0, "")
    }
    private var postKey: (Int, Int, Substring) { post.map { (0, 0, $0) } ?? (-1, 0, "") }
    private var devKey: (Int, Int, Substring) { dev.map { (0, 0, $0) } ?? (1, 0, "") }

    private static func compareRank(_ a: (Int, Int, Substring), _ b: (Int, Int, Substring)) -> Int {
        if a.0 != b.0 { return a.0 < b.0 ? -1 : 1 }
        if a.1 != b.1 { return a.1 < b.1 ? -1 : 1 }
        return a.0 == 0 ? NumericText.compare(a.2, b.2) : 0
    }

    private static func compareRelease(_ a: [Substring], _ b: [Substring]) -> Int {
        for k in 0..<max(a.count, b.count) {
            let r = NumericText.compare(k < a.count ? a[k] : "0", k < b.count ? b[k] : "0")
            if r != 0 { return r }
        }
        return 0
    }

    private static func compareLocal(_ a: [Substring]?, _ b: [Substring]?) -> Int {
        guard let a, let b else { return a == nil ? (b == nil ? 0 : -1) : 1 }
        for (x, y) in zip(a, b) {
            let xn = NumericText.isDigits(x.utf8), yn = NumericText.isDigits(y.utf8)
            let r: Int
            switch (xn, yn) {
            case (true, true): r = NumericText.compare(x, y)
            case (true, false): r = 1
            case (false, true): r = -1
            case (false, false): r = x == y ? 0 : (x < y ? -1 : 1)
            }
            if r != 0 { return r }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}

/// A tiny cursor over a lowercased version string for `PEP440Version`'s parser.
struct PEP440Scanner {
    let text: Substring
    var index: Substring.Index

    init(_ text: Substring) { self.text = text; index = text.startIndex }

    var atEnd: Bool { index == text.endIndex }
    func peek(_ c: Character) -> Bool { index < text.endIndex && text[index] == c }
    mutating func advance() { index = text.index(after: index) }

    /// Skips one optional `-`, `_` or `.`.
    mutating func separator() {
        if index < text.endIndex, "-_.".contains(text[index]) { advance() }
    }

    mutating func digits() -> Substring? {
        let start = index
        while index < text.endIndex, let a = text[index].asciiValue, NumericText.isDigit(a) { advance() }
        return index == start ? nil : text[start..<index]
    }

    /// Consumes the first of `words` (tried in order) that the text continues with.
    mutating func word(_ words: [String]) -> String? {
        let rest = text[index...]
        for w in words where rest.hasPrefix(w) {
            index = text.index(index, offsetBy: w.count)
            return w
        }
        return nil
    }
}
