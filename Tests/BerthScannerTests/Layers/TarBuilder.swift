import Foundation
@testable import BerthScanner

/// Builds tar streams byte by byte for tests, including entries real tools refuse to write.
struct TarBuilder {
    private(set) var bytes: [UInt8] = []

    private static func octal(_ value: Int, _ width: Int) -> [UInt8] {
        let s = String(value, radix: 8)
        return Array((String(repeating: "0", count: max(0, width - 1 - s.count)) + s).utf8) + [0]
    }

    mutating func entry(_ name: String, type: UInt8 = UInt8(ascii: "0"), content: [UInt8] = [], link: String = "",
                        mode: Int = 0o644) {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ field: [UInt8], _ at: Int) { for (k, b) in field.enumerated() { h[at + k] = b } }
        put(Array(name.utf8.prefix(100)), 0)
        put(Self.octal(mode, 8), 100)
        put(Self.octal(0, 8), 108); put(Self.octal(0, 8), 116)
        put(Self.octal(content.count, 12), 124)
        put(Self.octal(0, 12), 136)
        h[156] = type
        put(Array(link.utf8.prefix(100)), 157)
        put(Array("ustar\u{0}00".utf8), 257)
        put(Array(repeating: 0x20, count: 8), 148)
        let sum = h.reduce(0) { $0 + Int($1) }
        put(Self.octal(sum, 7) + [0x20], 148)
        bytes += h + content + [UInt8](repeating: 0, count: (512 - content.count % 512) % 512)
    }

    mutating func file(_ name: String, _ text: String, mode: Int = 0o644) { entry(name, content: Array(text.utf8), mode: mode) }
    mutating func directory(_ name: String) { entry(name, type: UInt8(ascii: "5"), mode: 0o755) }
    mutating func symlink(_ name: String, to target: String) { entry(name, type: UInt8(ascii: "2"), link: target) }
    mutating func whiteout(_ path: String) {
        let parts = path.split(separator: "/")
        entry((parts.dropLast().map { $0 + "/" }.joined()) + ".wh." + parts.last!)
    }
    mutating func opaque(_ dir: String) { entry(dir + "/.wh..wh..opq") }

    /// The archive with its two end-of-archive blocks.
    var archive: [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }
}

/// Runs a shell command for fixture generation; throws on a non-zero exit.
enum Shell {
    struct Failed: Error { let command: String; let status: Int32 }

    @discardableResult
    static func run(_ command: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failed(command: command, status: p.terminationStatus) }
        return String(decoding: data, as: UTF8.self)
    }

    static func exists(_ tool: String) -> Bool { (try? run("command -v \(tool)")) != nil }

    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "berth-layers-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Scans layers given as byte arrays or files, feeding them in odd-sized chunks.
enum LayerFeeder {
    static func scan(_ layers: [[UInt8]], limits: LayerLimits = LayerLimits(), chunk: Int = 7_777) throws -> ImageInventory {
        let scan = ImageScan(limits: limits)
        for (k, layer) in layers.enumerated() {
            scan.beginLayer(digest: "sha256:layer\(k)")
            var p = 0
            while p < layer.count {
                let n = min(chunk, layer.count - p)
                try scan.consume(Array(layer[p..<(p + n)]))
                p += n
            }
            try scan.endLayer()
        }
        return try scan.finish()
    }

    static func file(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
