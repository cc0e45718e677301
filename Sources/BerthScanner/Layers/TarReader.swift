/// A push-style streaming tar parser: ustar, GNU (`././@LongLink` names, base-256 sizes) and pax
/// (`path`, `linkpath`, `size`). It never buffers entry content; only headers and extended-header
/// records (bounded) are held.
final class TarReader {
    private enum State {
        case header
        /// Content of a visible entry: `remaining` bytes, then `padding`.
        case content(remaining: Int, padding: Int, deliver: Bool)
        /// Content of a pax or GNU long-name record, gathered into `extended`.
        case extended(kind: UInt8, remaining: Int, padding: Int)
        /// After the end-of-archive block: the rest is ignored.
        case done
    }

    private let limits: LayerLimits
    private unowned let visitor: any TarEntryVisitor
    private var state = State.header
    private var block = [UInt8](repeating: 0, count: 512)
    private var blockFill = 0
    private var extended: [UInt8] = []
    private var pendingPax: [String: String] = [:]
    private var pendingLongName: String?
    private var pendingLongLink: String?
    private(set) var entryCount = 0

    init(limits: LayerLimits, visitor: any TarEntryVisitor) {
        self.limits = limits
        self.visitor = visitor
    }

    /// Consumes the next chunk of the decompressed tar stream.
    func consume(_ input: UnsafeRawBufferPointer) throws {
        var p = 0
        while p < input.count {
            switch state {
            case .done:
                return
            case .header:
                let n = min(512 - blockFill, input.count - p)
                block.withUnsafeMutableBytes { dst in
                    dst.baseAddress!.advanced(by: blockFill).copyMemory(from: input.baseAddress!.advanced(by: p), byteCount: n)
                }
                blockFill += n
                p += n
                if blockFill == 512 {
                    blockFill = 0
                    try block.withUnsafeBytes { try header($0) }
                }
            case .content(let remaining, let padding, let deliver):
                if remaining > 0 {
                    let n = min(remaining, input.count - p)
                    if deliver { try visitor.content(UnsafeRawBufferPointer(rebasing: input[p..<(p + n)])) }
                    p += n
                    state = .content(remaining: remaining - n, padding: padding, deliver: deliver)
                    if remaining - n == 0 { try visitor.end() }
                } else {
                    let n = min(padding, input.count - p)
                    p += n
                    state = padding - n == 0 ? .header : .content(remaining: 0, padding: padding - n, deliver: deliver)
                }
            case .extended(let kind, let remaining, let padding):
                if remaining > 0 {
                    let n = min(remaining, input.count - p)
                    extended.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[p..<(p + n)]))
                    p += n
                    state = .extended(kind: kind, remaining: remaining - n, padding: padding)
                    if remaining - n == 0 { try finishExtended(kind) }
                } else {
                    let n = min(padding, input.count - p)
                    p += n
                    state = padding - n == 0 ? .header : .extended(kind: kind, remaining: 0, padding: padding - n)
                }
            }
        }
        if case .content(0, 0, _) = state { state = .header }
        if case .extended(_, 0, 0) = state { state = .header }
    }

    /// Checks that the stream did not stop inside an entry.
    func finish() throws {
        switch state {
        case .done: return
        case .header:
            guard blockFill == 0 else { throw LayerError.malformedTar("truncated header block") }
        case .content(let remaining, _, _) where remaining == 0: return
        case .extended(_, 0, _): return
        default:
            throw LayerError.malformedTar("stream ends inside an entry")
        }
    }

    private static func padding(_ size: Int) -> Int { (512 - size % 512) % 512 }

    private func header(_ b: UnsafeRawBufferPointer) throws {
        if b.allSatisfy({ $0 == 0 }) { state = .done; return }
        guard TarHeaderFields.checksumMatches(b) else {
            throw LayerError.malformedTar("bad header checksum after \(entryCount) headers")
        }
        var size = try TarHeaderFields.number(b, 124, 12)
        let typeFlag = b[156]
        // Extended headers count too, so a run of them cannot grow pending state without bound.
        entryCount += 1
        guard entryCount <= limits.maxEntries else { throw LayerError.tooManyEntries(limit: limits.maxEntries) }
        switch typeFlag {
        case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"):
            guard size <= limits.maxExtendedHeaderSize else {
                throw LayerError.malformedTar("extended header of \(size) bytes exceeds \(limits.maxExtendedHeaderSize)")
            }
            extended.removeAll(keepingCapacity: true)
            state = .extended(kind: typeFlag, remaining: size, padding: Self.padding(size))
            if size == 0 { try finishExtended(typeFlag) }
            return
        default:
            break
        }
        var path = TarHeaderFields.string(b, 0, 100)
        var link = TarHeaderFields.string(b, 157, 100)
        // POSIX ustar ("ustar\0") has a path prefix field; GNU ("ustar  ") reuses those bytes.
        if b[257] == UInt8(ascii: "u"), b[262] == 0, b[345] != 0 {
            path = TarHeaderFields.string(b, 345, 155) + "/" + path
        }
        if let long = pendingLongName { path = long }
        if let long = pendingLongLink { link = long }
        if let p = pendingPax["path"] { path = p }
        if let l = pendingPax["linkpath"] { link = l }
        if let s = pendingPax["size"] {
            guard let v = Int(s), v >= 0 else { throw LayerError.malformedTar("bad pax size \(s)") }
            size = v
        }
        pendingPax.removeAll(); pendingLongName = nil; pendingLongLink = nil
        let kind: TarEntry.Kind
        switch typeFlag {
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): kind = path.hasSuffix("/") ? .directory : .regular
        case UInt8(ascii: "1"): kind = .hardLink
        case UInt8(ascii: "2"): kind = .symbolicLink
        case UInt8(ascii: "5"): kind = .directory
        default: kind = .other
        }
        let mode = UInt32(truncatingIfNeeded: (try? TarHeaderFields.number(b, 100, 8)) ?? 0)
        let entry = TarEntry(path: path, kind: kind, size: size, linkTarget: link, mode: mode)
        let deliver = try visitor.begin(entry)
        state = .content(remaining: size, padding: Self.padding(size), deliver: deliver)
        if size == 0 { try visitor.end() }
    }

    private func finishExtended(_ kind: UInt8) throws {
        switch kind {
        case UInt8(ascii: "x"):
            for (k, v) in try TarHeaderFields.paxRecords(extended) { pendingPax[k] = v }
        case UInt8(ascii: "L"):
            pendingLongName = extended.withUnsafeBytes { TarHeaderFields.string($0, 0, $0.count) }
        case UInt8(ascii: "K"):
            pendingLongLink = extended.withUnsafeBytes { TarHeaderFields.string($0, 0, $0.count) }
        default:
            break // global pax headers carry nothing the inventory needs
        }
    }
}
