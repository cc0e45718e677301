/// Finds a Go binary's build information while its bytes stream past: checks the ELF magic, then
/// looks for the `\xff Go buildinf:` header at 16-byte aligned offsets (where the linker places the
/// `.go.buildinfo` section) and keeps a bounded window of bytes from there.
final class GoBuildInfoScanner {
    static let magic: [UInt8] = [0xFF] + Array(" Go buildinf:".utf8)
    /// Bytes kept after the header: version and module strings are far smaller.
    static let window = 1 << 20

    private var offset = 0
    private var notELF = false
    private var pending: [UInt8] = []
    private var captured: [UInt8]?

    /// The bytes from the build-info header on, if one was found.
    var buildInfo: [UInt8]? { captured }

    func feed(_ chunk: UnsafeRawBufferPointer) {
        defer { offset += chunk.count }
        if notELF || chunk.isEmpty { return }
        if var window = captured {
            captured = nil
            window.append(contentsOf: chunk.prefix(Self.window - window.count))
            captured = window
            return
        }
        if offset == 0 {
            guard chunk.count >= 4, chunk[0] == 0x7F, chunk[1] == 0x45, chunk[2] == 0x4C, chunk[3] == 0x46 else {
                notELF = true
                return
            }
        }
        if !pending.isEmpty {
            let need = Self.magic.count - pending.count
            let joined = pending + chunk.prefix(need)
            if joined.count == Self.magic.count {
                if joined == Self.magic { captured = Array((pending + chunk).prefix(Self.window)); pending = []; return }
                pending = []
            } else {
                pending = joined
                return
            }
        }
        var k = (16 - offset % 16) % 16
        let magic = Self.magic
        while k < chunk.count {
            if chunk[k] == 0xFF {
                if k + magic.count <= chunk.count {
                    var same = true
                    for j in 1..<magic.count where chunk[k + j] != magic[j] { same = false; break }
                    if same {
                        captured = Array(chunk[k...].prefix(Self.window))
                        return
                    }
                } else {
                    pending = Array(chunk[k...])
                    return
                }
            }
            k += 16
        }
    }
}
