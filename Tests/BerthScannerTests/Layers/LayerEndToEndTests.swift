import BerthCore
import Foundation
import Testing
@testable import BerthScanner

/// Scans the Debian bookworm rootfs the e2e suite caches (`tests/e2e/.work/rootfs.tar`) as one
/// gzip layer, checks the dpkg inventory against the status file read independently, matches it
/// against OSV records made for it, and prints scan time against the gunzip floor.
@Suite struct LayerEndToEndTests {
    static let rootfs = FixtureFiles.repositoryRoot + "/tests/e2e/.work/rootfs.tar"

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// (name, version, source name, source version) of installed packages, parsed here on its own.
    static func expectedPackages(_ statusText: String) -> Set<[String]> {
        var out = Set<[String]>()
        for paragraph in statusText.components(separatedBy: "\n\n") {
            var f: [String: String] = [:]
            for line in paragraph.split(separator: "\n") where !line.hasPrefix(" ") {
                let kv = line.split(separator: ":", maxSplits: 1)
                if kv.count == 2 { f[String(kv[0])] = kv[1].trimmingCharacters(in: .whitespaces) }
            }
            guard let name = f["Package"], let version = f["Version"], f["Status"] == "install ok installed" else { continue }
            let src = f["Source"]?.split(separator: " ").map(String.init) ?? []
            out.insert([name, version, src.first ?? "", src.count > 1 ? src[1].trimmingCharacters(in: CharacterSet(charactersIn: "()")) : ""])
        }
        return out
    }

    @Test func debianBookwormRootfsAsAGzipLayer() async throws {
        guard FileManager.default.fileExists(atPath: Self.rootfs) else {
            print("SKIP: no cached Debian rootfs at \(Self.rootfs) (the e2e suite creates it)")
            return
        }
        let dir = try Shell.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layer = dir + "/layer.tar.gz"
        try Shell.run("gzip -1 -c \(Self.rootfs) > \(layer)")
        let floor = try Self.seconds { try Shell.run("gzip -dc \(layer) > /dev/null") }
        // The in-process floor: zlib alone over the same bytes, no tar parsing.
        let compressed = try LayerFeeder.file(layer)
        var inflated = 0
        let zlibFloor = try Self.seconds {
            let gz = try GzipDecompressor()
            try compressed.withUnsafeBytes { all in
                var p = 0
                while p < all.count {
                    let n = min(1 << 20, all.count - p)
                    try gz.feed(UnsafeRawBufferPointer(rebasing: all[p..<(p + n)])) { inflated += $0.count }
                    p += n
                }
            }
            try gz.finish()
        }
        #expect(inflated > 100 << 20)
        let fd = open(layer, O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        var inventory: ImageInventory?
        let start = ContinuousClock.now
        inventory = try await ImageScanner().scan([LayerInput(digest: "sha256:rootfs", content: .file(FileRegion(fd: fd, offset: 0, length: Int64(size))))])
        let elapsed = ContinuousClock.now - start
        let scanSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "layer scan: %.2fs; floors: gzip -dc %.2fs (%.2fx), in-process zlib %.2fs (%.2fx); %lld compressed bytes",
                     scanSeconds, floor, scanSeconds / max(floor, 0.001), zlibFloor, scanSeconds / max(zlibFloor, 0.001), Int64(size)))
        let inv = try #require(inventory)
        #expect(inv.os?.ecosystem == "Debian:12" && inv.os?.distroless == false)

        let statusText = try String(contentsOfFile: FixtureFiles.repositoryRoot + "/tests/e2e/.work/rootfs/var/lib/dpkg/status", encoding: .utf8)
        let expected = Self.expectedPackages(statusText)
        let actual = Set(inv.packages.map { [$0.package.name, $0.package.version, $0.package.sourceName ?? "", $0.package.sourceVersion ?? ""] })
        #expect(expected.count > 50)
        #expect(actual == expected)
        #expect(inv.packages.allSatisfy { $0.package.ecosystem == "Debian:12" && $0.layerDigest == "sha256:rootfs" })

        // Two advisories per source package: one fixed after the installed version (must match),
        // one fixed long before it (must not).
        let withSource = inv.packages.filter { $0.package.sourceName != nil }.prefix(5)
        #expect(withSource.count == 5)
        var lines: [String] = []
        for (k, p) in withSource.enumerated() {
            let key = p.package.advisoryKey
            for (suffix, fixed) in [("HIT", key.version + "+zz1"), ("MISS", "0.0.1-1")] {
                lines.append(#"{"id":"TEST-\#(suffix)-\#(k)","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian:12","name":"\#(key.name)"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"\#(fixed)"}]}]}]}"#)
            }
        }
        try lines.joined(separator: "\n").write(toFile: dir + "/db.jsonl", atomically: true, encoding: .utf8)
        var builder = VulnerabilityDatabaseBuilder()
        _ = try VulnerabilityImporter().importPath(dir + "/db.jsonl", into: &builder)
        let matches = VulnerabilityMatcher(database: builder.build(importedAt: 0)).match(inv.installedPackages)
        let ids = Set(matches.map(\.vulnerabilityID))
        #expect(ids == Set((0..<5).map { "TEST-HIT-\($0)" }))
        let sources = Set(withSource.map { $0.package.advisoryKey.name })
        #expect(matches.allSatisfy { sources.contains($0.package.advisoryKey.name) })
        #expect(matches.count >= 5)
    }
}
