/// The merged view of the collected files and symbolic links of an image's layers, with
/// whiteouts and opaque directories applied bottom-up.
struct ImageFileTree: Sendable {
    private(set) var files: [String: CollectedFile] = [:]
    private(set) var symlinks: [String: String] = [:]
    /// Every ancestor directory of a path in `files` or `symlinks`.
    private(set) var directories: Set<String> = []

    /// Whether a lower layer holds a collected file or a link exactly at `path`.
    func hasNode(_ path: String) -> Bool {
        (!files.isEmpty && files[path] != nil) || (!symlinks.isEmpty && symlinks[path] != nil)
    }

    /// Bytes held by the collected files, with their paths and bookkeeping.
    var collectedBytes: Int { files.reduce(0) { $0 + Self.fileCost($1.key, $1.value) } }

    /// The memory one collected file costs: its content, its path and about 160 bytes of bookkeeping,
    /// so that many empty files (an empty `package.json` is collected too) still count.
    static func fileCost(_ path: String, _ file: CollectedFile) -> Int { file.byteCount + path.utf8.count + 160 }

    /// Estimated bytes held by the symbolic links (counted against `LayerLimits.maxSymlinkBytes`).
    var linkBytes: Int { symlinks.reduce(0) { $0 + Self.linkCost($1.key, $1.value) } }

    /// The memory one link costs: its path and target text plus about 224 bytes of string and
    /// hash-table overhead (measured: 200,000 links of 38 + 52 bytes took 63 MiB).
    static func linkCost(_ path: String, _ target: String) -> Int { path.utf8.count + target.utf8.count + 224 }

    /// Stacks `layer` on top of the current view.
    mutating func apply(_ layer: LayerSnapshot) {
        if !layer.whiteouts.isEmpty || !layer.opaqueDirectories.isEmpty {
            func hidden(_ path: String) -> Bool {
                if layer.whiteouts.contains(path) { return true }
                for dir in LayerPath.ancestors(path) {
                    if layer.whiteouts.contains(dir) || layer.opaqueDirectories.contains(dir) { return true }
                }
                return layer.opaqueDirectories.contains("")
            }
            files = files.filter { !hidden($0.key) }
            symlinks = symlinks.filter { !hidden($0.key) }
        }
        if files.isEmpty && symlinks.isEmpty {
            // A layer's files and links are disjoint (the collector keeps the last entry of a path),
            // so over an empty view they become the view, sharing storage instead of rehashing.
            files = layer.files
            symlinks = layer.symlinks
        } else {
            symlinks.reserveCapacity(symlinks.count + layer.symlinks.count)
            for (path, file) in layer.files {
                symlinks[path] = nil
                files[path] = file
            }
            for (path, target) in layer.symlinks {
                files[path] = nil
                symlinks[path] = target
            }
        }
        // Nearest ancestor first: one already present means all above it are too.
        var dirs = Set<String>()
        for path in files.keys { LayerPath.forEachAncestor(path) { dirs.insert($0).inserted } }
        for path in symlinks.keys { LayerPath.forEachAncestor(path) { dirs.insert($0).inserted } }
        directories = dirs
    }

    /// Resolves symbolic links in every component of `path` (relative to the image root), as the
    /// kernel would inside a chroot: `..` stops at the root. Throws `symlinkLoop` after `maxHops` links.
    func resolve(_ path: String, maxHops: Int) throws -> String {
        var pending = Array(path.split(separator: "/").reversed().map(String.init))
        var resolved: [String] = []
        var hops = 0
        while let component = pending.popLast() {
            if component == "." || component.isEmpty { continue }
            if component == ".." { _ = resolved.popLast(); continue }
            let candidate = (resolved + [component]).joined(separator: "/")
            guard let target = symlinks[candidate] else { resolved.append(component); continue }
            hops += 1
            guard hops <= maxHops else { throw LayerError.symlinkLoop(path) }
            if target.hasPrefix("/") { resolved.removeAll() }
            pending.append(contentsOf: target.split(separator: "/").reversed().map(String.init))
        }
        return resolved.joined(separator: "/")
    }

    /// The collected file at `path` after resolving links, if any.
    func file(at path: String, maxHops: Int) throws -> (path: String, file: CollectedFile)? {
        let real = try resolve(path, maxHops: maxHops)
        return files[real].map { (real, $0) }
    }
}
