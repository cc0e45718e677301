import BerthCore
import Foundation
import Testing
@testable import BerthScanner

@Suite struct TarReaderTests {
    /// A pax `x` record: "<len> key=value\n" where len counts itself.
    static func paxRecord(_ key: String, _ value: String) -> String {
        let body = " \(key)=\(value)\n"
        var n = body.utf8.count + 1
        while String(n).utf8.count + body.utf8.count != n { n += 1 }
        return "\(n)\(body)"
    }

    @Test func paxPathAndLinkpathOverrideTheHeader() throws {
        var t = TarBuilder()
        let long = "srv/" + String(repeating: "x", count: 180) + "/node_modules/left-pad/package.json"
        t.entry("PaxHeaders/0", type: UInt8(ascii: "x"), content: Array(Self.paxRecord("path", long).utf8))
        t.file("truncated-name", #"{"name":"left-pad","version":"1.3.0"}"#)
        t.entry("PaxHeaders/1", type: UInt8(ascii: "x"), content: Array(Self.paxRecord("linkpath", "../usr/lib/os-release").utf8))
        t.symlink("etc/os-release", to: "short")
        t.file("usr/lib/os-release", "ID=ubuntu\nVERSION_ID=\"22.04\"\n")
        let inv = try LayerFeeder.scan([t.archive], chunk: 61)
        #expect(inv.os?.ecosystem == "Ubuntu:22.04:LTS")
        #expect(inv.packages.map(\.path) == [long])
    }

    @Test func hardLinksCopyCollectedFilesAndBase256Sizes() throws {
        var t = TarBuilder()
        t.file("var/lib/dpkg/status", "Package: x\nVersion: 1.0\n")
        t.entry("var/lib/dpkg/status.d/x", type: UInt8(ascii: "1"), link: "./var/lib/dpkg/status")
        // GNU base-256 size field (0x80 then big-endian) for a small file.
        var b = TarBuilder()
        b.file("var/lib/dpkg/status", "Package: zlib1g\nVersion: 1:1.2.13.dfsg-1\nSource: zlib\n")
        var bytes = b.bytes
        let size = Array("Package: zlib1g\nVersion: 1:1.2.13.dfsg-1\nSource: zlib\n".utf8).count
        for k in 124..<136 { bytes[k] = 0 }
        bytes[124] = 0x80; bytes[135] = UInt8(size)
        for k in 148..<156 { bytes[k] = 0x20 }
        let sum = bytes[0..<512].reduce(0) { $0 + Int($1) }
        let field = Array(String(sum, radix: 8).utf8)
        for k in 0..<6 { bytes[148 + k] = k < 6 - field.count ? 0x30 : field[k - (6 - field.count)] }
        bytes[154] = 0; bytes[155] = 0x20
        let inv = try LayerFeeder.scan([t.archive, bytes + [UInt8](repeating: 0, count: 1024)])
        // The upper layer's status replaces the lower one; the hard-linked fragment stays.
        #expect(inv.packages.map { "\($0.path) \($0.package.name)@\($0.package.version) \($0.layerDigest)" } == [
            "var/lib/dpkg/status zlib1g@1:1.2.13.dfsg-1 sha256:layer1", "var/lib/dpkg/status.d/x x@1.0 sha256:layer0",
        ])
    }

    @Test func oversizedExtendedHeaderAndLongPathsFail() throws {
        var t = TarBuilder()
        t.entry("PaxHeaders/0", type: UInt8(ascii: "x"), content: Array(Self.paxRecord("path", String(repeating: "a", count: 5000)).utf8))
        t.file("x", "")
        #expect(throws: LayerError.pathTooLong(String(repeating: "a", count: 5000))) { try LayerFeeder.scan([t.archive]) }
        var limits = LayerLimits()
        limits.maxExtendedHeaderSize = 1024
        let recordSize = Self.paxRecord("path", String(repeating: "a", count: 5000)).utf8.count
        #expect(throws: LayerError.malformedTar("extended header of \(recordSize) bytes exceeds 1024")) { try LayerFeeder.scan([t.archive], limits: limits) }
    }

    @Test func imageScannerReadsStreamsAndFileRegions() async throws {
        var t = TarBuilder()
        t.file("etc/os-release", "ID=alpine\nVERSION_ID=3.20.0\n")
        t.file("lib/apk/db/installed", "P:busybox\nV:1.36.1-r29\no:busybox\n")
        let dir = try Shell.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(t.archive).write(to: URL(fileURLWithPath: dir + "/l.tar"))
        try Shell.run("zstd -q \(dir)/l.tar -o \(dir)/l.tar.zst")
        let zst = try LayerFeeder.file(dir + "/l.tar.zst")
        let stream = ByteStream { c in
            for k in stride(from: 0, to: zst.count, by: 10) { c.yield(Array(zst[k..<min(k + 10, zst.count)])) }
            c.finish()
        }
        let fd = open(dir + "/l.tar.zst", O_RDONLY)
        defer { close(fd) }
        let scanner = ImageScanner(readSize: 17)
        let viaStream = try await scanner.scan([LayerInput(digest: "sha256:s", content: .stream(stream, length: Int64(zst.count)))])
        let viaFile = try await scanner.scan([LayerInput(digest: "sha256:s", content: .file(FileRegion(fd: fd, offset: 0, length: Int64(zst.count))))])
        #expect(viaStream == viaFile)
        #expect(viaFile.packages.map(\.package) == [InstalledPackage(ecosystem: "Alpine:v3.20", name: "busybox", version: "1.36.1-r29", sourceName: "busybox", kind: .os)])
    }
}
