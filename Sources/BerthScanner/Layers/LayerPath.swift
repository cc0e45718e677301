/// Normalisation and checks of tar entry paths into root-relative form (`usr/lib/os-release`).
enum LayerPath {
    /// Strips `./`, leading `/` and empty components (tar writers such as umoci emit `/` and absolute
    /// names; they mean the layer's root, and nothing is ever written to disk); rejects any `..`
    /// component and paths beyond the length or depth limits. Returns "" for the root itself.
    static func normalize(_ raw: String, limits: LayerLimits) throws -> String {
        guard raw.utf8.count <= limits.maxPathLength else { throw LayerError.pathTooLong(raw) }
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

    /// The parent directory ("" for top-level entries).
    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[path.startIndex..<slash])
    }

    /// The last component.
    static func name(_ path: String) -> Substring {
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
        var current = path
        while let slash = current.lastIndex(of: "/") {
            current = String(current[current.startIndex..<slash])
            out.append(current)
        }
        return out
    }
}
