import Foundation
import Testing
@testable import BerthScanner

@Suite struct WhiteoutTests {
    static func metadata(_ name: String, _ version: String) -> String { "Name: \(name)\nVersion: \(version)\n\n" }
    static let site = "usr/lib/python3/site-packages"

    @Test func whiteoutsAndOpaqueDirectoriesAcrossThreeLayers() throws {
        var base = TarBuilder()
        base.directory("usr/lib/python3/site-packages/")
        base.file("\(Self.site)/a-1.0.dist-info/METADATA", Self.metadata("a", "1.0"))
        base.file("\(Self.site)/b-1.0.dist-info/METADATA", Self.metadata("b", "1.0"))
        base.file("app/node_modules/left/package.json", #"{"name":"left","version":"1.0.0"}"#)
        base.file("app/node_modules/right/package.json", #"{"name":"right","version":"1.0.0"}"#)
        base.file("opt/c-1.0.dist-info/METADATA", Self.metadata("c", "1.0"))
        var middle = TarBuilder()
        middle.whiteout("\(Self.site)/a-1.0.dist-info")                // removes a
        middle.opaque("app/node_modules")                               // hides left and right...
        middle.file("app/node_modules/fresh/package.json", #"{"name":"fresh","version":"2.0.0"}"#)  // ...not this
        middle.file("opt", "now a file, hiding the directory below")    // replaces opt/ and c
        var top = TarBuilder()
        top.file("\(Self.site)/a-2.0.dist-info/METADATA", Self.metadata("a", "2.0"))
        top.whiteout("\(Self.site)/b-1.0.dist-info/METADATA")           // a file-level whiteout
        let inv = try LayerFeeder.scan([base.archive, middle.archive, top.archive])
        let found = inv.packages.map { "\($0.package.name)@\($0.package.version)@\($0.layerDigest)" }.sorted()
        #expect(found == ["a@2.0@sha256:layer2", "fresh@2.0.0@sha256:layer1"])
        #expect(inv.layerDigests == ["sha256:layer0", "sha256:layer1", "sha256:layer2"])
    }

    @Test func laterEntryInTheSameLayerWinsAndWhiteoutsOnlyHideLowerLayers() throws {
        var base = TarBuilder()
        base.file("\(Self.site)/x-1.dist-info/METADATA", Self.metadata("x", "1"))
        var upper = TarBuilder()
        upper.file("\(Self.site)/x-1.dist-info/METADATA", Self.metadata("x", "3"))
        upper.whiteout("\(Self.site)/x-1.dist-info")
        upper.file("\(Self.site)/y.dist-info/METADATA", Self.metadata("y", "1"))
        upper.file("\(Self.site)/y.dist-info/METADATA", Self.metadata("y", "2"))
        let inv = try LayerFeeder.scan([base.archive, upper.archive])
        #expect(inv.packages.map { "\($0.package.name)@\($0.package.version)" }.sorted() == ["x@3", "y@2"])
    }

    @Test func rootOpaqueAndLinkReplacement() throws {
        var base = TarBuilder()
        base.file("usr/lib/os-release", "ID=alpine\nVERSION_ID=3.19.1\n")
        base.symlink("etc/os-release", to: "../usr/lib/os-release")
        base.file("lib/apk/db/installed", "P:musl\nV:1.2.4-r2\no:musl\n\nP:libcrypto3\nV:3.1.4-r5\no:openssl\n\n")
        var upper = TarBuilder()
        upper.file("etc/os-release", "ID=alpine\nVERSION_ID=3.20.2\n")   // a file over the lower link
        let inv = try LayerFeeder.scan([base.archive, upper.archive])
        #expect(inv.os?.ecosystem == "Alpine:v3.20")
        #expect(inv.packages.map(\.package) == [
            InstalledPackage(ecosystem: "Alpine:v3.20", name: "musl", version: "1.2.4-r2", sourceName: "musl", kind: .os),
            InstalledPackage(ecosystem: "Alpine:v3.20", name: "libcrypto3", version: "3.1.4-r5", sourceName: "openssl", kind: .os),
        ])
        var wipe = TarBuilder()
        wipe.entry(".wh..wh..opq")
        let wiped = try LayerFeeder.scan([base.archive, upper.archive, wipe.archive])
        #expect(wiped.os == nil && wiped.packages.isEmpty)
    }
}
