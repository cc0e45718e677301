import BerthScanner
import Foundation
import Testing

@Suite struct SBOMDocumentTests {
    static let debian = OperatingSystem(family: "debian", id: "debian", versionID: "12",
                                        prettyName: "Debian GNU/Linux 12 (bookworm)", distroless: false, ecosystem: "Debian:12")

    static func inventory() -> ImageInventory {
        let packages: [InstalledPackage] = [
            InstalledPackage(ecosystem: "Debian:12", name: "libc6", version: "2.36-9+deb12u4", sourceName: "glibc"),
            InstalledPackage(ecosystem: "Debian:12", name: "bsdutils", version: "1:2.38.1-5+b1", sourceName: "util-linux",
                             sourceVersion: "2.38.1-5"),
            InstalledPackage(ecosystem: "PyPI", name: "Zope_Interface", version: "6.0", kind: .language),
            InstalledPackage(ecosystem: "npm", name: "@Angular/core", version: "17.0.1", kind: .language),
            InstalledPackage(ecosystem: "Go", name: "github.com/gorilla/mux", version: "v1.8.0", kind: .language),
            InstalledPackage(ecosystem: "crates.io", name: "serde", version: "1.0.190", kind: .language),
            InstalledPackage(ecosystem: "Maven", name: "org.apache.logging.log4j:log4j-core", version: "2.14.1", kind: .language),
            InstalledPackage(ecosystem: "RubyGems", name: "rails", version: "7.1.0", kind: .language),
            InstalledPackage(ecosystem: "Packagist", name: "Laravel/Framework", version: "v10.0.0", kind: .language),
            InstalledPackage(ecosystem: "npm", name: "weird\"name\\with/slash", version: "1.0.0 beta", kind: .language),
        ]
        // The same package twice (two paths) must appear once.
        var entries = packages.map { InventoryPackage(package: $0, layerDigest: "sha256:aa", path: "var/lib/dpkg/status") }
        entries.append(InventoryPackage(package: packages[2], layerDigest: "sha256:bb", path: "usr/lib/python3/x.dist-info/METADATA"))
        return ImageInventory(os: debian, packages: entries, layerDigests: ["sha256:aa", "sha256:bb"])
    }

    static let subject = SBOMSubject(repository: "library/debian", digest: "sha256:" + String(repeating: "ab", count: 32),
                                     architecture: "amd64", created: "2026-01-02T03:04:05Z", toolVersion: "9.9.9")

    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test(arguments: [
        (InstalledPackage(ecosystem: "Debian:12", name: "libc6", version: "2.36-9+deb12u4"),
         "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12"),
        (InstalledPackage(ecosystem: "Debian:12", name: "bsdutils", version: "1:2.38.1-5+b1"),
         "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&distro=debian-12"),
        (InstalledPackage(ecosystem: "PyPI", name: "Zope_Interface", version: "6.0", kind: .language), "pkg:pypi/zope-interface@6.0"),
        (InstalledPackage(ecosystem: "npm", name: "@Angular/core", version: "17.0.1", kind: .language),
         "pkg:npm/%40angular/core@17.0.1"),
        (InstalledPackage(ecosystem: "Go", name: "github.com/gorilla/mux", version: "v1.8.0", kind: .language),
         "pkg:golang/github.com/gorilla/mux@v1.8.0"),
        (InstalledPackage(ecosystem: "crates.io", name: "serde", version: "1.0.190", kind: .language), "pkg:cargo/serde@1.0.190"),
        (InstalledPackage(ecosystem: "Maven", name: "org.apache:log4j-core", version: "2.14.1", kind: .language),
         "pkg:maven/org.apache/log4j-core@2.14.1"),
        (InstalledPackage(ecosystem: "RubyGems", name: "rails", version: "7.1.0", kind: .language), "pkg:gem/rails@7.1.0"),
        (InstalledPackage(ecosystem: "Packagist", name: "Laravel/Framework", version: "v10.0.0", kind: .language),
         "pkg:composer/laravel/framework@v10.0.0"),
    ])
    func purlPerEcosystem(package: InstalledPackage, expected: String) {
        #expect(PackageURL.of(package, os: Self.debian, architecture: "amd64")?.description == expected)
    }

    @Test func purlForAlpineAndRPM() {
        let alpine = OperatingSystem(family: "alpine", id: "alpine", versionID: "3.20.3", prettyName: "", distroless: false,
                                     ecosystem: "Alpine:v3.20")
        let apk = InstalledPackage(ecosystem: "Alpine:v3.20", name: "musl", version: "1.2.5-r0", sourceName: "musl")
        #expect(PackageURL.of(apk, os: alpine, architecture: "arm64")?.description
                == "pkg:apk/alpine/musl@1.2.5-r0?arch=arm64&distro=alpine-3.20.3")
        let rocky = OperatingSystem(family: "redhat", id: "rocky", versionID: "9.3", prettyName: "", distroless: false,
                                    ecosystem: "Rocky Linux:9")
        let rpm = InstalledPackage(ecosystem: "Rocky Linux:9", name: "openssl", version: "1:3.0.7-24.el9")
        #expect(PackageURL.of(rpm, os: rocky, architecture: nil)?.description
                == "pkg:rpm/rocky/openssl@3.0.7-24.el9?distro=rocky-9.3&epoch=1")
        #expect(PackageURL.of(InstalledPackage(ecosystem: "Hackage", name: "x", version: "1"), os: nil, architecture: nil) == nil)
    }

    @Test func creationTimeHasWholeSeconds() {
        #expect(SBOMSubject.wholeSeconds("2026-12-04T19:50:43.000Z") == "2026-12-04T19:50:43Z")
        #expect(SBOMSubject.wholeSeconds("2026-12-04T19:50:43Z") == "2026-12-04T19:50:43Z")
        let subject = SBOMSubject(repository: "a/b", digest: "sha256:00", architecture: nil, created: "2026-01-02T03:04:05.123Z",
                                  toolVersion: "1")
        #expect(subject.created == "2026-01-02T03:04:05Z")
        #expect(subject.purl.description == "pkg:oci/b@sha256:00?repository_url=a/b")
    }

    @Test func encodingOfReservedCharacters() {
        #expect(PackageURL.encode("a b+c@d/e?f#g%h:i~j") == "a%20b%2Bc%40d%2Fe%3Ff%23g%25h:i~j")
        #expect(PackageURL.encode("é") == "%C3%A9")
        #expect(PackageURL.encode("a/b", keepingSlash: true) == "a/b")
    }

    @Test func spdxHasRequiredFieldsAndEveryPackage() throws {
        let bytes = try SPDXDocument(inventory: Self.inventory(), subject: Self.subject).jsonBytes()
        let doc = try Self.object(bytes)
        #expect(doc["spdxVersion"] as? String == "SPDX-2.3")
        #expect(doc["dataLicense"] as? String == "CC0-1.0")
        #expect(doc["SPDXID"] as? String == "SPDXRef-DOCUMENT")
        #expect(doc["name"] as? String == "library/debian@" + Self.subject.digest)
        let namespace = try #require(doc["documentNamespace"] as? String)
        #expect(namespace.hasPrefix("https://") && !namespace.contains("#"))
        let info = try #require(doc["creationInfo"] as? [String: Any])
        #expect(info["created"] as? String == "2026-01-02T03:04:05Z")
        #expect((info["creators"] as? [String])?.contains("Tool: berth-9.9.9") == true)
        let packages = try #require(doc["packages"] as? [[String: Any]])
        // image + OS + 10 distinct packages (the duplicate PyPI entry merged)
        #expect(packages.count == 12)
        let ids = packages.compactMap { $0["SPDXID"] as? String }
        #expect(Set(ids).count == ids.count)
        for id in ids { #expect(id.hasPrefix("SPDXRef-") && id.dropFirst(8).allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) }
        for package in packages {
            #expect(package["downloadLocation"] as? String == "NOASSERTION")
            #expect(package["name"] is String && package["versionInfo"] is String)
            #expect(package["filesAnalyzed"] as? Bool == false)
        }
        let purls = packages.flatMap { ($0["externalRefs"] as? [[String: Any]] ?? []).compactMap { $0["referenceLocator"] as? String } }
        #expect(purls.contains("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12"))
        #expect(purls.contains("pkg:npm/weird%22name%5Cwith%2Fslash@1.0.0%20beta"))
        let weird = packages.first { $0["name"] as? String == "weird\"name\\with/slash" }
        #expect(weird != nil)
        let relationships = try #require(doc["relationships"] as? [[String: Any]])
        let describes = relationships.filter { $0["relationshipType"] as? String == "DESCRIBES" }
        #expect(describes.count == 1 && describes.first?["spdxElementId"] as? String == "SPDXRef-DOCUMENT")
        #expect(relationships.filter { $0["relationshipType"] as? String == "CONTAINS" }.count == 11)
        let libc = packages.first { $0["name"] as? String == "libc6" }
        #expect(libc?["sourceInfo"] as? String == "built package from: glibc 2.36-9+deb12u4")
    }

    @Test func cycloneDXHasRequiredFields() throws {
        let bytes = try CycloneDXDocument(inventory: Self.inventory(), subject: Self.subject).jsonBytes()
        let doc = try Self.object(bytes)
        #expect(doc["bomFormat"] as? String == "CycloneDX")
        #expect(doc["specVersion"] as? String == "1.5")
        #expect(doc["version"] as? Int == 1)
        let serial = try #require(doc["serialNumber"] as? String)
        let uuid = serial.dropFirst("urn:uuid:".count)
        #expect(serial.hasPrefix("urn:uuid:") && uuid.count == 36)
        #expect(Array(uuid)[14] == "5" && "89ab".contains(Array(uuid)[19]))
        let metadata = try #require(doc["metadata"] as? [String: Any])
        #expect(metadata["timestamp"] as? String == "2026-01-02T03:04:05Z")
        let tools = try #require((metadata["tools"] as? [String: Any])?["components"] as? [[String: Any]])
        #expect(tools.first?["name"] as? String == "berth")
        let image = try #require(metadata["component"] as? [String: Any])
        #expect(image["type"] as? String == "container")
        let components = try #require(doc["components"] as? [[String: Any]])
        #expect(components.count == 11)
        #expect(components.first?["type"] as? String == "operating-system")
        let refs = components.compactMap { $0["bom-ref"] as? String }
        #expect(Set(refs).count == components.count)
        let log4j = components.first { $0["name"] as? String == "log4j-core" }
        #expect(log4j?["group"] as? String == "org.apache.logging.log4j")
        #expect(log4j?["purl"] as? String == "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
        for component in components.dropFirst() {
            #expect(component["type"] as? String == "library")
            #expect(component["purl"] is String && component["version"] is String)
        }
        let dependencies = try #require(doc["dependencies"] as? [[String: Any]])
        #expect((dependencies.first?["dependsOn"] as? [String])?.count == 11)
    }

    @Test func outputIsDeterministicAndOrderIndependent() throws {
        var shuffled = Self.inventory()
        shuffled.packages.reverse()
        let a = try SPDXDocument(inventory: Self.inventory(), subject: Self.subject).jsonBytes()
        let b = try SPDXDocument(inventory: shuffled, subject: Self.subject).jsonBytes()
        #expect(a == b)
        let c = try CycloneDXDocument(inventory: Self.inventory(), subject: Self.subject).jsonBytes()
        let d = try CycloneDXDocument(inventory: shuffled, subject: Self.subject).jsonBytes()
        #expect(c == d)
        var later = Self.subject
        later.created = "2026-01-03T00:00:00Z"
        #expect(try SPDXDocument(inventory: Self.inventory(), subject: later).jsonBytes() != a)
        // No escaped slashes: purls and namespaces stay readable.
        #expect(!String(decoding: a, as: UTF8.self).contains("\\/"))
    }
}
