import Foundation
import Testing
@testable import BerthScanner

@Suite struct InventoryAnalyzerTests {
    static func be32(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }

    /// An rpmdb header blob: NAME, VERSION, RELEASE, EPOCH, SOURCERPM.
    static func rpmHeader(name: String, version: String, release: String, epoch: Int32?, source: String) -> [UInt8] {
        var data: [UInt8] = []
        var index: [UInt8] = []
        func add(_ tag: Int32, _ type: Int32, _ bytes: [UInt8], align: Int = 1) {
            while data.count % align != 0 { data.append(0) }
            index += be32(tag) + be32(type) + be32(Int32(data.count)) + be32(1)
            data += bytes
        }
        add(1000, 6, Array(name.utf8) + [0])
        add(1001, 6, Array(version.utf8) + [0])
        add(1002, 6, Array(release.utf8) + [0])
        if let e = epoch { add(1003, 4, be32(e), align: 4) }
        add(1044, 6, Array(source.utf8) + [0])
        return be32(Int32(index.count / 16)) + be32(Int32(data.count)) + index + data
    }

    @Test func rpmHeaderAndSQLiteDatabase() throws {
        let bash = Self.rpmHeader(name: "bash", version: "5.1.8", release: "6.el9", epoch: nil, source: "bash-5.1.8-6.el9.src.rpm")
        let ssl = Self.rpmHeader(name: "openssl-libs", version: "3.0.7", release: "27.el9", epoch: 1, source: "openssl-3.0.7-27.el9.src.rpm")
        let parsed = try #require(RPMHeaderParser.parse(ssl))
        #expect(parsed.fullVersion == "1:3.0.7-27.el9" && parsed.sourceName == "openssl")
        #expect(RPMHeaderParser.parse(Array(ssl.prefix(20))) == nil)
        guard Shell.exists("sqlite3") else { print("SKIP: sqlite3 not installed"); return }
        let dir = try Shell.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hex = { (b: [UInt8]) in b.map { String(format: "%02x", $0) }.joined() }
        try Shell.run("""
            mkdir -p \(dir)/root/var/lib/rpm \(dir)/root/etc && cd \(dir)/root && \
            printf 'ID="rocky"\\nID_LIKE="rhel centos fedora"\\nVERSION_ID="9.3"\\n' > etc/os-release && \
            sqlite3 var/lib/rpm/rpmdb.sqlite "PRAGMA journal_mode=WAL; CREATE TABLE Packages(hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL); \
            INSERT INTO Packages(blob) VALUES (X'\(hex(bash))'), (X'\(hex(ssl))');" && tar -cf ../layer.tar .
            """)
        let inv = try LayerFeeder.scan([try LayerFeeder.file(dir + "/layer.tar")])
        #expect(inv.os?.family == "redhat" && inv.os?.ecosystem == "Rocky Linux:9")
        #expect(inv.packages.map(\.package) == [
            InstalledPackage(ecosystem: "Rocky Linux:9", name: "bash", version: "5.1.8-6.el9", sourceName: "bash", kind: .os),
            InstalledPackage(ecosystem: "Rocky Linux:9", name: "openssl-libs", version: "1:3.0.7-27.el9", sourceName: "openssl", kind: .os),
        ])
    }

    static func goBinary(version: String, modinfo: String) -> [UInt8] {
        func varint(_ n: Int) -> [UInt8] {
            var n = n, out: [UInt8] = []
            repeat { var b = UInt8(n & 0x7F); n >>= 7; if n > 0 { b |= 0x80 }; out.append(b) } while n > 0
            return out
        }
        let sentinel = [UInt8](repeating: 0x30, count: 16)
        let mod = sentinel + Array(modinfo.utf8) + sentinel
        var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46] + [UInt8](repeating: 0xFF, count: 4096 - 4)
        bytes += GoBuildInfoScanner.magic + [8, 2] + [UInt8](repeating: 0, count: 16)
        bytes += varint(version.utf8.count) + Array(version.utf8) + varint(mod.count) + mod
        return bytes + [UInt8](repeating: 0, count: 2000)
    }

    @Test func goBuildInfoFromCraftedAndRealBinaries() throws {
        let modinfo = "path\texample.com/app\nmod\texample.com/app\tv1.2.3\th1:x=\ndep\tgolang.org/x/net\tv0.17.0\th1:y=\n"
            + "dep\tgithub.com/old/lib\tv1.0.0\t\n=>\tgithub.com/new/lib\tv1.1.0\th1:z=\ndep\tlocal/thing\tv0.0.0\t\n=>\t../thing\t\t\n"
        var t = TarBuilder()
        t.entry("usr/local/bin/app", content: Self.goBinary(version: "go1.21.3", modinfo: modinfo), mode: 0o755)
        t.entry("usr/local/bin/notgo", content: [UInt8](repeating: 0x7F, count: 5000), mode: 0o755)
        for chunk in [13, 4096, 1 << 16] {
            let inv = try LayerFeeder.scan([t.archive], chunk: chunk)
            #expect(inv.packages.map { "\($0.package.name)@\($0.package.version)" } == [
                "stdlib@1.21.3", "example.com/app@v1.2.3", "golang.org/x/net@v0.17.0", "github.com/new/lib@v1.1.0",
            ])
            #expect(inv.packages.allSatisfy { $0.package.ecosystem == "Go" && $0.path == "usr/local/bin/app" })
        }
        guard let skopeo = ["/usr/bin/skopeo", "/usr/bin/podman"].first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            print("SKIP: no Go binary (skopeo, podman) on this machine"); return
        }
        let scanner = GoBuildInfoScanner()
        let bytes = try LayerFeeder.file(skopeo)
        var p = 0
        while p < bytes.count {
            let n = min(1 << 20, bytes.count - p)
            bytes[p..<(p + n)].withUnsafeBytes { scanner.feed($0) }
            p += n
        }
        let info = try #require(scanner.buildInfo.flatMap(GoBuildInfoParser.parse))
        #expect(info.goVersion.hasPrefix("go1."))
        // Debian builds Go programs without modules, so their dependency list may be empty.
        #expect(info.dependencies.allSatisfy { $0.version.hasPrefix("v") })
        #expect(info.packages.first == InstalledPackage(ecosystem: "Go", name: "stdlib", version: String(info.goVersion.dropFirst(2)), kind: .language))
    }

    @Test func javaArchivesWithPomPropertiesManifestAndNestedJars() throws {
        let dir = try Shell.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Shell.run("""
            cd \(dir) && python3 -c '
            import zipfile, io
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\\r\\nImplementation-Title: jackson-core\\r\\nImplementation-Version: 2.15.2\\r\\nImplementation-Vendor-Id: com.fasterxml.jackson.core\\r\\n")
            with zipfile.ZipFile("app.jar", "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties", "#x\\ngroupId=org.apache.logging.log4j\\nartifactId=log4j-core\\nversion=2.14.1\\n")
                z.writestr("BOOT-INF/lib/jackson-core.jar", inner.getvalue(), zipfile.ZIP_STORED)
            ' && mkdir -p root/opt && cp app.jar root/opt/ && cd root && tar -cf ../layer.tar .
            """)
        let inv = try LayerFeeder.scan([try LayerFeeder.file(dir + "/layer.tar")])
        #expect(inv.packages.map { "\($0.package.ecosystem) \($0.package.name)@\($0.package.version)" } == [
            "Maven org.apache.logging.log4j:log4j-core@2.14.1", "Maven com.fasterxml.jackson.core:jackson-core@2.15.2",
        ])
        var limits = LayerLimits()
        limits.maxArchiveSize = 100
        let skipped = try LayerFeeder.scan([try LayerFeeder.file(dir + "/layer.tar")], limits: limits)
        #expect(skipped.packages.isEmpty && skipped.warnings.count == 1)
    }

    @Test func languageLockfilesAndManifests() throws {
        var t = TarBuilder()
        t.file("srv/package-lock.json", #"""
            {"lockfileVersion":3,"packages":{"":{"name":"srv"},"node_modules/lodash":{"version":"4.17.20"},
             "node_modules/a/node_modules/@scope/b":{"version":"1.0.0"},"node_modules/linked":{"link":true}}}
            """#)
        t.file("srv/node_modules/lodash/package.json", #"{"name":"lodash","version":"4.17.20"}"#)
        t.file("srv/node_modules/lodash/lib/package.json", #"{"name":"not-a-package","version":"9"}"#)
        t.file("src/Cargo.lock", "version = 3\n\n[[package]]\nname = \"mine\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"regex\"\nversion = \"1.9.6\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n")
        t.file("usr/lib/ruby/gems/3.1.0/specifications/rack-3.0.8.gemspec", "Gem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"3.0.8\"\nend\n")
        t.file("app/Gemfile.lock", "GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.15.4-x86_64-linux)\n      racc (~> 1.4)\n    racc (1.7.1)\n\nPLATFORMS\n  x86_64-linux\n")
        t.file("www/composer.lock", #"{"packages":[{"name":"guzzlehttp/guzzle","version":"7.4.0"}],"packages-dev":[{"name":"phpunit/phpunit","version":"v9.5.0"}]}"#)
        t.file("usr/lib/python3.11/site-packages/six-1.16.0.egg-info", "Metadata-Version: 1.1\nName: six\nVersion: 1.16.0\n")
        let inv = try LayerFeeder.scan([t.archive])
        let found = Set(inv.packages.map { "\($0.package.ecosystem) \($0.package.name)@\($0.package.version)" })
        #expect(found == [
            "npm lodash@4.17.20", "npm @scope/b@1.0.0", "crates.io regex@1.9.6", "RubyGems rack@3.0.8",
            "RubyGems nokogiri@1.15.4", "RubyGems racc@1.7.1", "Packagist guzzlehttp/guzzle@7.4.0",
            "Packagist phpunit/phpunit@9.5.0", "PyPI six@1.16.0",
        ])
        #expect(inv.packages.count == found.count)
        #expect(inv.packages.allSatisfy { $0.package.kind == .language })
    }

    @Test func distrolessStatusFragmentsAndInventoryRoundTrip() throws {
        var t = TarBuilder()
        t.file("etc/os-release", "PRETTY_NAME=\"Distroless\"\nID=debian\nVERSION_ID=\"12\"\n")
        t.file("var/lib/dpkg/status.d/libc6", "Package: libc6\nVersion: 2.36-9+deb12u4\nSource: glibc\n")
        t.file("var/lib/dpkg/status.d/libc6.md5sums", "abc  lib/x\n")
        let inv = try LayerFeeder.scan([t.archive])
        #expect(inv.os?.distroless == true && inv.os?.ecosystem == "Debian:12")
        #expect(inv.packages.map(\.package) == [InstalledPackage(ecosystem: "Debian:12", name: "libc6", version: "2.36-9+deb12u4", sourceName: "glibc", kind: .os)])
        let decoded = try JSONDecoder().decode(ImageInventory.self, from: JSONEncoder().encode(inv))
        #expect(decoded == inv)
    }
}
