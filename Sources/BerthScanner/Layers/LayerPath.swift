/// Normalisation and checks of tar entry paths into root-relative form (`usr/lib/os-release`).
///
/// Every function has a byte-level fast path for ASCII paths (nearly all of them), which gives the
/// same result as the `Character`-based general path it falls back to for other paths.
enum LayerPath {
    private static let slash = UInt8(ascii: "/")
    private static let dot = UInt8(ascii: ".")

    /// Strips `./`, leading `/` and empty components (tar writers such as umoci emit `/` and absolute
    /// names; they mean the layer's root, and nothing is ever written to disk); rejects any `..`
    /// component and paths beyond the length or depth limits. Returns "" for the root itself.
    static func normalize(_ raw: String, limits: LayerLimits) throws -> String {
        guard raw.utf8.count <= limits.maxPathLength else { throw LayerError.pathTooLong(raw) }
        if let depth = cleanASCIIDepth(raw) {
            guard depth <= limits.maxPathDepth else { throw LayerError.pathTooLong(raw) }
            return raw
        }
        var parts: [Substring] = []
        for component in raw.split(separator: "/") {
            if component == "." { continue }
            guard component != ".." else { throw LayerError.pathTraversal(raw) }
            parts.append(component)
        }
        guard parts.count <= limits.maxPathDepth else { throw LayerError.pathTooLong(raw) }
        if parts.count == 1 { return String(parts[0]) }
        return parts.joined(separator: "/")
    }

    /// The component count of a non-empty ASCII path that is already normal (no leading, trailing or
    /// doubled `/`, no `.` or `..` component), or nil when the general path must decide.
    private static func cleanASCIIDepth(_ raw: String) -> Int? {
        raw.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard let first = bytes.first, first != slash, bytes.last != slash else { return nil }
            var depth = 1
            var start = 0
            for k in 0...bytes.count {
                if k < bytes.count {
                    let b = bytes[k]
                    if b >= 0x80 { return nil }
                    if b != slash { continue }
                    depth += 1
                }
                let length = k - start
                if length == 0 { return nil }
                if bytes[start] == dot && (length == 1 || (length == 2 && bytes[start + 1] == dot)) { return nil }
                start = k + 1
            }
            return depth
        } ?? nil
    }

    /// The byte offset of the last `/` of an ASCII path, `-1` when it has none, or nil for a
    /// non-ASCII path (whose `/` may be part of a larger `Character`).
    private static func lastSlashASCII(_ path: String) -> Int?? {
        path.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            var last = -1
            for k in 0..<bytes.count {
                let b = bytes[k]
                if b >= 0x80 { return nil }
                if b == slash { last = k }
            }
            return last
        }
    }

    /// The parent directory ("" for top-level entries).
    static func parent(_ path: String) -> String {
        if case .some(.some(let last)) = lastSlashASCII(path) {
            guard last >= 0 else { return "" }
            return String(path.utf8.prefix(last))!
        }
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[path.startIndex..<slash])
    }

    /// The last component.
    static func name(_ path: String) -> Substring {
        if case .some(.some(let last)) = lastSlashASCII(path) {
            return path[path.utf8.index(path.startIndex, offsetBy: last + 1)...]
        }
        guard let slash = path.lastIndex(of: "/") else { return Substring(path) }
        return path[path.index(after: slash)...]
    }

    /// `parent/name`, or `name` at the root.
    static func join(_ parent: String, _ name: Substring) -> String {
        parent.isEmpty ? String(name) : parent + "/" + name
    }

    /// Every proper ancestor directory of `path`, nearest first (`a/b/c` → `a/b`, `a`).
    static func ancestors(_ path: String) -> [String] {
        var out: [String] = []
        forEachAncestor(path) { out.append($0); return true }
        return out
    }

    /// Calls `body` with each proper ancestor of `path`, nearest first, while it returns true.
    static func forEachAncestor(_ path: String, _ body: (String) -> Bool) {
        let done: Bool? = path.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return false }
            var k = bytes.count - 1
            while k >= 0 {
                if bytes[k] == slash, !body(String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<k]), as: UTF8.self)) {
                    return true
                }
                k -= 1
            }
            return true
        }
        if done == true { return }
        var current = path
        while let slash = current.lastIndex(of: "/") {
            current = String(current[current.startIndex..<slash])
            if !body(current) { return }
        }
    }
}
