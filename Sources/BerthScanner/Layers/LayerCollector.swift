/// Turns one layer's tar entries into a `LayerSnapshot`: records whiteouts and links, keeps the
/// files analyzers want (bounded), and extracts Go and Java packages while their bytes stream by.
final class LayerCollector: TarEntryVisitor {
    private let limits: LayerLimits
    private let layerIndex: Int
    private let lower: ImageFileTree
    /// Bytes already held by lower layers' collected files (see `ImageFileTree.fileCost`).
    private let baseCollected: Int
    /// Estimated bytes held by lower layers' symbolic links (see `ImageFileTree.linkCost`).
    private let baseLinkBytes: Int
    private var linkBytes = 0
    private(set) var snapshot = LayerSnapshot()
    private var collected = 0

    private enum Capture {
        case buffer(path: String, kind: InventoryFileKind, bytes: [UInt8])
        case goBinary(path: String, scanner: GoBuildInfoScanner)
    }
    private var capture: Capture?

    init(limits: LayerLimits, layerIndex: Int, lower: ImageFileTree) {
        self.limits = limits
        self.layerIndex = layerIndex
        self.lower = lower
        self.baseCollected = lower.collectedBytes
        self.baseLinkBytes = lower.linkBytes
    }

    func begin(_ entry: TarEntry) throws -> Bool {
        let path = try LayerPath.normalize(entry.path, limits: limits)
        guard !path.isEmpty else { return false }
        let name = LayerPath.name(path)
        if name.hasPrefix(".wh.") {
            // Only whiteouts that hide something kept from lower layers are recorded, so a layer of many
            // whiteouts costs no memory: the view below is exactly `lower` until `endLayer`.
            let parent = LayerPath.parent(path)
            if name == ".wh..wh..opq" {
                if parent.isEmpty || lower.directories.contains(parent) { snapshot.opaqueDirectories.insert(parent) }
            } else {
                let hidden = LayerPath.join(parent, name.dropFirst(4))
                if lower.hasNode(hidden) || lower.directories.contains(hidden) { snapshot.whiteouts.insert(hidden) }
            }
            return false
        }
        // A non-directory over a lower directory, or a directory over a lower file or link, hides the lower one.
        if (entry.kind != .directory && !lower.directories.isEmpty && lower.directories.contains(path))
            || (entry.kind == .directory && lower.hasNode(path)) {
            snapshot.whiteouts.insert(path)
        }
        if !snapshot.files.isEmpty, let old = snapshot.files.removeValue(forKey: path) {
            collected -= ImageFileTree.fileCost(path, old)
        }
        switch entry.kind {
        case .symbolicLink:
            guard entry.linkTarget.utf8.count <= limits.maxPathLength else { throw LayerError.pathTooLong(entry.linkTarget) }
            let cost = ImageFileTree.linkCost(path, entry.linkTarget)
            guard baseLinkBytes + linkBytes + cost <= limits.maxSymlinkBytes else {
                throw LayerError.symlinksExceeded(limit: limits.maxSymlinkBytes)
            }
            linkBytes += cost
            if let old = snapshot.symlinks.updateValue(entry.linkTarget, forKey: path) {
                linkBytes -= ImageFileTree.linkCost(path, old)
            }
            return false
        case .hardLink:
            removeLink(path)
            let target = try LayerPath.normalize(entry.linkTarget, limits: limits)
            if let file = snapshot.files[target], let kind = InventoryFileKind.select(path: path, mode: 0),
               kind == file.kind || kind != .executable {
                try add(path, CollectedFile(kind: kind, layerIndex: layerIndex, content: file.content))
            }
            return false
        case .regular:
            removeLink(path)
            guard let kind = InventoryFileKind.select(path: path, mode: entry.mode) else { return false }
            return try startCapture(path, kind, size: entry.size)
        case .directory, .other:
            removeLink(path)
            return false
        }
    }

    private func startCapture(_ path: String, _ kind: InventoryFileKind, size: Int) throws -> Bool {
        switch kind {
        case .executable:
            guard size >= 1024 else { return false }
            capture = .goBinary(path: path, scanner: GoBuildInfoScanner())
            return true
        case .javaArchive:
            guard size <= limits.maxArchiveSize else {
                snapshot.warnings.append("skipped \(path): \(size) bytes exceeds the archive limit \(limits.maxArchiveSize)")
                return false
            }
        case .rpmDatabase:
            guard size <= limits.maxRPMDatabaseSize else { throw LayerError.fileTooLarge(path, limit: limits.maxRPMDatabaseSize) }
        default:
            guard size <= limits.maxMetadataFileSize else { throw LayerError.fileTooLarge(path, limit: limits.maxMetadataFileSize) }
        }
        try reserve(size)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        capture = .buffer(path: path, kind: kind, bytes: bytes)
        return true
    }

    /// Drops a link this layer wrote earlier at `path`, if any.
    private func removeLink(_ path: String) {
        guard !snapshot.symlinks.isEmpty, let old = snapshot.symlinks.removeValue(forKey: path) else { return }
        linkBytes -= ImageFileTree.linkCost(path, old)
    }

    private func reserve(_ count: Int) throws {
        guard baseCollected + collected + count <= limits.maxCollectedBytes else {
            throw LayerError.collectedBytesExceeded(limit: limits.maxCollectedBytes)
        }
    }

    private func add(_ path: String, _ file: CollectedFile) throws {
        let cost = ImageFileTree.fileCost(path, file)
        try reserve(cost)
        collected += cost
        snapshot.files[path] = file
    }

    func content(_ bytes: UnsafeRawBufferPointer) throws {
        switch capture {
        case .buffer(let path, let kind, var buffer):
            capture = nil
            buffer.append(contentsOf: bytes)
            capture = .buffer(path: path, kind: kind, bytes: buffer)
        case .goBinary(_, let scanner):
            scanner.feed(bytes)
        case nil:
            break
        }
    }

    func end() throws {
        guard let current = capture else { return }
        capture = nil
        switch current {
        case .buffer(let path, .javaArchive, let bytes):
            do {
                let packages = try JavaArchiveReader.packages(in: bytes, path: path, limits: limits)
                if !packages.isEmpty { try add(path, CollectedFile(kind: .javaArchive, layerIndex: layerIndex, content: .packages(packages))) }
            } catch let error as LayerError {
                throw error
            } catch {
                snapshot.warnings.append("skipped \(path): \(error)")
            }
        case .buffer(let path, let kind, let bytes):
            try add(path, CollectedFile(kind: kind, layerIndex: layerIndex, content: .bytes(bytes)))
        case .goBinary(let path, let scanner):
            guard let info = scanner.buildInfo else { return }
            guard let parsed = GoBuildInfoParser.parse(info) else {
                snapshot.warnings.append("unreadable Go build info in \(path)")
                return
            }
            try add(path, CollectedFile(kind: .executable, layerIndex: layerIndex, content: .packages(parsed.packages)))
        }
    }
}
