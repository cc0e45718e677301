import BerthPortal
import Glibc
import Testing

/// The embedded portal must match `Sources/BerthPortal/portal/` (the EmbedPortal plugin embeds it on every build).
@Suite struct PortalAssetsTests {
    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/Sources/BerthPortal/portal"
    }()

    static func read(_ path: String) -> String? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func sourceFiles(_ directory: String, prefix: String = "") -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var found: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name == "." || name == ".." { continue }
            if entry.pointee.d_type == UInt8(DT_DIR) {
                found += sourceFiles(directory + "/" + name, prefix: prefix + name + "/")
            } else {
                found.append(prefix + name)
            }
        }
        return found
    }

    @Test func embeddedFilesMatchTheSources() throws {
        let files = Self.sourceFiles(Self.root).sorted()
        #expect(!files.isEmpty)
        #expect(files == PortalAssets.byPath.keys.sorted(), "the build did not embed every portal file")
        for path in files {
            let source = try #require(Self.read(Self.root + "/" + path))
            #expect(PortalAssets.asset(path)?.text == source, "\(path) differs from portal/")
        }
    }

    @Test func contentTypesAndEntityTags() throws {
        let index = try #require(PortalAssets.index)
        #expect(index.contentType.hasPrefix("text/html"))
        #expect(PortalAssets.asset("js/app.js")?.contentType.hasPrefix("text/javascript") == true)
        #expect(PortalAssets.asset("css/portal.css")?.contentType.hasPrefix("text/css") == true)
        let tags = PortalAssets.byPath.values.map(\.etag)
        #expect(Set(tags).count == tags.count)
        #expect(tags.allSatisfy { $0.hasPrefix("\"") && $0.hasSuffix("\"") })
    }

    @Test func noInlineScriptsOrStylesThatTheCSPWouldBlock() throws {
        for asset in PortalAssets.byPath.values where asset.path.hasSuffix(".html") {
            #expect(!asset.text.contains("<script>"), "\(asset.path) has an inline script")
            #expect(!asset.text.contains("style=\""), "\(asset.path) has an inline style")
            #expect(!asset.text.contains("onclick="), "\(asset.path) has an inline handler")
        }
    }
}
