import Foundation
import Testing
@testable import BerthScanner

@Suite struct LayerReaderTests {
    static let osRelease = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n"
    static let status = """
        Package: curl
        Status: install ok installed
        Version: 7.88.1-10+deb12u5

        Package: libbrotli1
        Status: install ok installed
        Source: brotli (1.0.9-2)
        Version: 1.0.9-2+b6

        Package: gone
        Status: deinstall ok config-files
        Version: 1.0

        """

    /// A small Debian-like tree on disk, for the real `tar`, `gzip` and `zstd`.
    static func debianTree() throws -> String {
        let dir = try Shell.tempDir()
        try FileManager.default.createDirectory(atPath: dir + "/root/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/root/usr/lib", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/root/var/lib/dpkg", withIntermediateDirectories: true)
        try osRelease.write(toFile: dir + "/root/usr/lib/os-release", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/root/etc/os-release", withDestinationPath: "../usr/lib/os-release")
        try status.write(toFile: dir + "/root/var/lib/dpkg/status", atomically: true, encoding: .utf8)
        return dir
    }

    static func checkDebian(_ inv: ImageInventory) {
        #expect(inv.os?.ecosystem == "Debian:12")
        #expect(inv.os?.family == "debian")
        #expect(inv.packages.map(\.package.name) == ["curl", "libbrotli1"])
        #expect(inv.packages.last?.package.sourceName == "brotli" && inv.packages.last?.package.sourceVersion == "1.0.9-2")
        #expect(inv.packages.allSatisfy { $0.layerDigest == "sha256:layer0" && $0.path == "var/lib/dpkg/status" })
    }

    @Test(arguments: ["none", "gzip", "gzip-multi", "zstd"])
    func compressedLayers(_ compression: String) throws {
        let dir = try Self.debianTree()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Shell.run("cd \(dir)/root && tar -cf ../layer.tar .")
        switch compression {
        case "gzip": try Shell.run("gzip -c \(dir)/layer.tar > \(dir)/layer")
        case "gzip-multi":  // two gzip members split mid-header
            try Shell.run("cd \(dir) && head -c 700 layer.tar | gzip -c > layer && tail -c +701 layer.tar | gzip -c >> layer")
        case "zstd": try Shell.run("zstd -q -c \(dir)/layer.tar > \(dir)/layer")
        default: try Shell.run("cp \(dir)/layer.tar \(dir)/layer")
        }
        let bytes = try LayerFeeder.file(dir + "/layer")
        for chunk in [1, 3, 512, 65_536] where chunk > 1 || bytes.count < 40_000 {
            Self.checkDebian(try LayerFeeder.scan([bytes], chunk: chunk))
        }
    }

    @Test(arguments: ["pax", "gnu"])
    func longNamesInPaxAndGNUFormats(_ format: String) throws {
        let dir = try Shell.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let deep = "usr/lib/python3/dist-packages/" + String(repeating: "very-long-directory-name/", count: 8) + "requests-2.31.0.dist-info"
        try FileManager.default.createDirectory(atPath: "\(dir)/root/\(deep)", withIntermediateDirectories: true)
        try "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n\nbody".write(toFile: "\(dir)/root/\(deep)/METADATA", atomically: true, encoding: .utf8)
        try Shell.run("cd \(dir)/root && tar --format=\(format) -cf ../layer.tar usr")
        let inv = try LayerFeeder.scan([try LayerFeeder.file(dir + "/layer.tar")], chunk: 100)
        #expect(inv.packages.map(\.package) == [InstalledPackage(ecosystem: "PyPI", name: "requests", version: "2.31.0", kind: .language)])
        #expect(inv.packages.first?.path == deep + "/METADATA")
    }

    @Test func decompressionBombFailsAgainstTheLayerLimit() throws {
        let dir = try Shell.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Shell.run("cd \(dir) && head -c 67108864 /dev/zero > big && tar -cf - big | gzip -1 > bomb.gz")
        let bomb = try LayerFeeder.file(dir + "/bomb.gz")
        #expect(bomb.count < 1 << 20)
        var limits = LayerLimits()
        limits.maxLayerBytes = 8 << 20
        #expect(throws: LayerError.decompressedSizeExceeded(scope: "layer", limit: 8 << 20)) {
            try LayerFeeder.scan([bomb], limits: limits, chunk: 1 << 16)
        }
        limits.maxLayerBytes = 1 << 30
        limits.maxImageBytes = 100 << 20
        #expect(throws: LayerError.decompressedSizeExceeded(scope: "image", limit: 100 << 20)) {
            try LayerFeeder.scan([bomb, bomb], limits: limits, chunk: 1 << 16)
        }
    }

    @Test func traversalFailsAndAbsolutePathsAreRootRelative() throws {
        var up = TarBuilder()
        up.file("etc/../../evil", "x")
        #expect(throws: LayerError.pathTraversal("etc/../../evil")) { try LayerFeeder.scan([up.archive]) }
        var abs = TarBuilder()
        abs.file("/../etc/passwd", "x")
        #expect(throws: LayerError.pathTraversal("/../etc/passwd")) { try LayerFeeder.scan([abs.archive]) }
        #expect(try LayerPath.normalize("/", limits: LayerLimits()) == "")
        #expect(try LayerPath.normalize("/etc/os-release", limits: LayerLimits()) == "etc/os-release")
        #expect(try LayerPath.normalize("//./etc//os-release", limits: LayerLimits()) == "etc/os-release")
    }

    @Test func boundsOnEntriesPathsAndFileSizes() throws {
        var many = TarBuilder()
        for k in 0..<20 { many.file("f\(k)", "") }
        var limits = LayerLimits()
        limits.maxEntries = 10
        #expect(throws: LayerError.tooManyEntries(limit: 10)) { try LayerFeeder.scan([many.archive], limits: limits) }
        var deep = TarBuilder()
        deep.file(Array(repeating: "d", count: 40).joined(separator: "/"), "")
        limits = LayerLimits()
        limits.maxPathDepth = 16
        #expect(throws: (any Error).self) { try LayerFeeder.scan([deep.archive], limits: limits) }
        var big = TarBuilder()
        big.file("var/lib/dpkg/status", String(repeating: "x", count: 5000))
        limits = LayerLimits()
        limits.maxMetadataFileSize = 4096
        #expect(throws: LayerError.fileTooLarge("var/lib/dpkg/status", limit: 4096)) { try LayerFeeder.scan([big.archive], limits: limits) }
    }

    @Test func symlinkLoopFailsTheScan() throws {
        var t = TarBuilder()
        t.symlink("etc/os-release", to: "a")
        t.symlink("etc/a", to: "b")
        t.symlink("etc/b", to: "/etc/a")
        #expect(throws: LayerError.symlinkLoop("etc/os-release")) { try LayerFeeder.scan([t.archive]) }
    }

    @Test func corruptAndTruncatedStreamsFail() throws {
        var t = TarBuilder()
        t.file("var/lib/dpkg/status", Self.status)
        var corrupt = t.archive
        corrupt[150] ^= 0x11
        #expect(throws: LayerError.malformedTar("bad header checksum after 0 headers")) { try LayerFeeder.scan([corrupt]) }
        let truncated = Array(t.archive.prefix(700))
        #expect(throws: LayerError.malformedTar("stream ends inside an entry")) { try LayerFeeder.scan([truncated]) }
        let dir = try Shell.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(t.archive).write(to: URL(fileURLWithPath: dir + "/l.tar"))
        try Shell.run("gzip \(dir)/l.tar")
        let gz = try LayerFeeder.file(dir + "/l.tar.gz")
        #expect(throws: LayerError.corruptCompression("gzip stream truncated")) { try LayerFeeder.scan([Array(gz.dropLast(10))]) }
    }
}
