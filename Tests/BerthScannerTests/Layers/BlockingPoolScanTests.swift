import BerthCore
import Foundation
import Testing
@testable import BerthScanner

/// `ImageScanner.scan(_:on:)`: the same inventory as the other entry points, whatever the inputs and
/// batch size, with the work on a `BlockingPool`.
@Suite struct BlockingPoolScanTests {
    static func layers() -> [[UInt8]] {
        var base = TarBuilder()
        base.file("usr/lib/os-release", "ID=alpine\nVERSION_ID=3.19.1\n")
        base.symlink("etc/os-release", to: "../usr/lib/os-release")
        base.file("lib/apk/db/installed", "P:busybox\nV:1.36.1-r15\no:busybox\n\nP:musl\nV:1.2.4-r2\no:musl\n")
        var upper = TarBuilder()
        upper.file("etc/os-release", "ID=alpine\nVERSION_ID=3.20.2\n")
        upper.file("lib/apk/db/installed", "P:busybox\nV:1.36.1-r29\no:busybox\n")
        upper.file("srv/app/node_modules/left-pad/package.json", #"{"name":"left-pad","version":"1.3.0"}"#)
        return [base.archive, upper.archive]
    }

    static func stream(_ bytes: [UInt8], chunk: Int) -> ByteStream {
        ByteStream { c in
            for k in stride(from: 0, to: bytes.count, by: chunk) { c.yield(Array(bytes[k..<min(k + chunk, bytes.count)])) }
            c.finish()
        }
    }

    @Test(arguments: [1, 700, 1 << 20])
    func streamsInBatchesMatchTheSynchronousScan(batchSize: Int) async throws {
        let layers = Self.layers()
        let expected = try LayerFeeder.scan(layers)
        let inputs = layers.enumerated().map { k, bytes in
            LayerInput(digest: "sha256:layer\(k)", content: .stream(Self.stream(bytes, chunk: 333), length: Int64(bytes.count)))
        }
        let pool = BlockingPool(threads: 2)
        let inventory = try await ImageScanner().scan(inputs, on: pool, batchSize: batchSize)
        #expect(inventory == expected)
        #expect(inventory.os?.versionID == "3.20.2")
        #expect(inventory.packages.map(\.package.name).sorted() == ["busybox", "left-pad"])
    }

    @Test func fileRegionsAndStreamsMix() async throws {
        let layers = Self.layers()
        let dir = try Shell.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(layers[0]).write(to: URL(fileURLWithPath: dir + "/base.tar"))
        let fd = open(dir + "/base.tar", O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        let inputs = [
            LayerInput(digest: "sha256:layer0", content: .file(FileRegion(fd: fd, offset: 0, length: Int64(layers[0].count)))),
            LayerInput(digest: "sha256:layer1", content: .stream(Self.stream(layers[1], chunk: 4096), length: Int64(layers[1].count))),
        ]
        let inventory = try await ImageScanner(readSize: 513).scan(inputs, on: BlockingPool(threads: 1), batchSize: 1000)
        #expect(inventory == (try LayerFeeder.scan(layers)))
    }

    @Test func aShortStreamFailsTheScan() async throws {
        let bytes = Self.layers()[0]
        let input = LayerInput(digest: "sha256:short", content: .stream(Self.stream(bytes, chunk: 100), length: Int64(bytes.count + 1)))
        await #expect(throws: LayerError.readFailed("stream of \(bytes.count) bytes, expected \(bytes.count + 1)")) {
            try await ImageScanner().scan([input], on: BlockingPool(threads: 1))
        }
    }
}

/// The symbolic links kept for path resolution are bounded across layers.
@Suite struct SymlinkBoundTests {
    static func links(_ prefix: String, _ count: Int) -> [UInt8] {
        var t = TarBuilder()
        for k in 0..<count { t.symlink("\(prefix)/l\(k)", to: "../target/\(k)") }
        return t.archive
    }

    @Test func linksCountAgainstTheirBoundAcrossLayers() throws {
        let cost = ImageFileTree.linkCost("a/l0", "../target/0")
        var limits = LayerLimits()
        limits.maxSymlinkBytes = cost * 15
        // 10 links fit; rewriting the same 10 paths in the same layer does not count twice.
        #expect(throws: Never.self) { try LayerFeeder.scan([Self.links("a", 10) + Self.links("a", 10)], limits: limits) }
        // 10 more in an upper layer exceed the bound that the lower layer's links already use.
        #expect(throws: LayerError.symlinksExceeded(limit: cost * 15)) {
            try LayerFeeder.scan([Self.links("a", 10), Self.links("b", 10)], limits: limits)
        }
        limits.maxSymlinkBytes = 64 * cost
        let inventory = try LayerFeeder.scan([Self.links("a", 10), Self.links("b", 10)], limits: limits)
        #expect(inventory.packages.isEmpty)
    }
}

/// Many entries that each cost nothing on disk still cost memory, and are bounded or not kept.
@Suite struct EntryFloodTests {
    @Test func emptyCollectedFilesCountAgainstTheCollectedBound() throws {
        var t = TarBuilder()
        for k in 0..<50 { t.file("srv/node_modules/p\(k)/package.json", "") }
        var limits = LayerLimits()
        limits.maxCollectedBytes = 40 * 200
        #expect(throws: LayerError.collectedBytesExceeded(limit: 40 * 200)) { try LayerFeeder.scan([t.archive], limits: limits) }
        limits.maxCollectedBytes = 50 * 300
        #expect(throws: Never.self) { try LayerFeeder.scan([t.archive], limits: limits) }
    }

    @Test func onlyWhiteoutsThatHideSomethingAreKept() throws {
        var lowerLayer = TarBuilder()
        lowerLayer.file("etc/os-release", "ID=alpine\nVERSION_ID=3.20.0\n")
        lowerLayer.file("srv/a/node_modules/x/package.json", #"{"name":"x","version":"1.0.0"}"#)
        let collector = LayerCollector(limits: LayerLimits(), layerIndex: 0, lower: ImageFileTree())
        let reader = TarReader(limits: LayerLimits(), visitor: collector)
        try lowerLayer.archive.withUnsafeBytes { try reader.consume($0) }
        var tree = ImageFileTree()
        tree.apply(collector.snapshot)

        var upper = TarBuilder()
        for k in 0..<100 { upper.whiteout("usr/share/doc/d\(k)") }
        upper.whiteout("srv/a")                       // an ancestor of a kept file
        upper.whiteout("etc/os-release")              // a kept file
        upper.opaque("srv/a/node_modules")            // hides a kept file
        upper.opaque("var/cache")                     // hides nothing kept
        let top = LayerCollector(limits: LayerLimits(), layerIndex: 1, lower: tree)
        let topReader = TarReader(limits: LayerLimits(), visitor: top)
        try upper.archive.withUnsafeBytes { try topReader.consume($0) }
        #expect(top.snapshot.whiteouts == ["srv/a", "etc/os-release"])
        #expect(top.snapshot.opaqueDirectories == ["srv/a/node_modules"])
        tree.apply(top.snapshot)
        #expect(tree.files.isEmpty)
    }
}
